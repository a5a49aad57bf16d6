import Foundation
import XCTest
@testable import MechTUI

/// `--record`'s asciinema v2 output, read back line by line as JSON.
final class CastWriterTests: XCTestCase {
    func testEventsParseWithAHeaderAndMonotoneTimes() throws {
        var lines: [String] = []
        var now = 100.0
        let clock = { () -> Double in now }
        let writer = CastWriter(width: 80, height: 24, term: "tmux-256color", timestamp: 1_700_000_000, clock: clock) { lines.append($0) }
        let recorder = CastRecorder(writer: writer)
        var grid = CellGrid(width: 80, height: 24)
        grid.put("Head \"L1H3\" \\ ▀░ é", x: 0, y: 0, style: CellStyle(foreground: .palette(196), bold: true))
        recorder.present(grid, cursor: nil)
        now = 100.25
        recorder.key(.char("j"))
        recorder.key(.escape)
        recorder.key(.ctrl("d"))
        now = 100.2      // a clock stepping back never makes times decrease
        grid.put("x", x: 3, y: 5)
        recorder.present(grid, cursor: (x: 3, y: 5))
        now = 101
        recorder.resize(width: 120, height: 40)

        XCTAssertTrue(lines.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().contains("\n") == false })
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(header["version"] as? Int, 2)
        XCTAssertEqual(header["width"] as? Int, 80)
        XCTAssertEqual(header["height"] as? Int, 24)
        XCTAssertEqual(header["timestamp"] as? Int, 1_700_000_000)
        XCTAssertEqual((header["env"] as? [String: String])?["TERM"], "tmux-256color")

        let events = try lines.dropFirst().map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        XCTAssertEqual(events.map { $0[1] as? String }, ["o", "i", "i", "i", "o", "r"])
        let times = events.map { ($0[0] as? Double) ?? -1 }
        XCTAssertEqual(times, [0, 0.25, 0.25, 0.25, 0.25, 1])
        XCTAssertEqual(events.map { $0[2] as? String }[1...3], ["j", "\u{1B}", "\u{04}"])
        let first = try XCTUnwrap(events[0][2] as? String)
        XCTAssertTrue(first.hasPrefix("\u{1B}[?25l\u{1B}[0m\u{1B}[H\u{1B}[2J\u{1B}[1;1H\u{1B}[0m\u{1B}[1;38;5;196mHead \"L1H3\" \\ ▀░ é"), first.debugDescription)
        let second = try XCTUnwrap(events[4][2] as? String)
        XCTAssertEqual(second, "\u{1B}[?25l\u{1B}[6;1H" + AnsiText.row(grid, y: 5) + "\u{1B}[6;4H\u{1B}[?25h", "only the changed row")
        XCTAssertEqual(events[5][2] as? String, "120x40")
        XCTAssertTrue(lines[1].contains("\\u001B["), "control characters escaped as \\u00XX: \(lines[1])")
    }

    func testJSONEscaping() {
        XCTAssertEqual(CastWriter.json("a\"b\\c\n\r\t\u{1B}\u{7F}é"), "\"a\\\"b\\\\c\\n\\r\\t\\u001B\\u007Fé\"")
    }
}

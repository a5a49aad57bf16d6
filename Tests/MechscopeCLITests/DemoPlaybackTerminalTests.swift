import Foundation
import XCTest

/// `--play` and `--record` in a real terminal: the shipped induction demo plays to its end
/// unattended, exits 0, and leaves an asciinema recording that reads back event by event.
final class DemoPlaybackTerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed (scripts/install-system-deps installs it)") }
    }

    private let script = MechscopeProcess.repositoryRoot.appendingPathComponent("samples/demos/induction-2l.keys").path

    func testInductionDemoPlaysAndRecordsAt80x24() throws { try playInductionDemo(width: 80, height: 24) }

    func testInductionDemoPlaysAndRecordsAt120x40() throws { try playInductionDemo(width: 120, height: 40) }

    /// Every shipped demo plays to its end unattended and exits 0 at both sizes.
    func testModAddDemoPlaysToTheEndAt80x24And120x40() throws {
        for (width, height) in [(80, 24), (120, 40)] {
            try playDemo("modadd-1l", width: width, height: height, shows: ["Fourier", "Next token after"])
        }
    }

    func testSuperpositionDemoPlaysToTheEndAt80x24And120x40() throws {
        for (width, height) in [(80, 24), (120, 40)] {
            try playDemo("superposition-toy", width: width, height: height, shows: ["Features", "16 17 18 19"])
        }
    }

    /// Plays samples/demos/NAME.keys on samples/NAME with --exit-at-end and --record; the process exits 0,
    /// the recording's header has the size, and its output shows `shows`.
    private func playDemo(_ name: String, width: Int, height: Int, shows: [String],
                          file: StaticString = #filePath, line: UInt = #line) throws {
        let root = MechscopeProcess.repositoryRoot
        let cast = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(getpid())-\(width).cast")
        defer { try? FileManager.default.removeItem(at: cast) }
        let tmux = try TmuxSession(width: width, height: height, shellCommand: TmuxSession.command(
            ["explore", root.appendingPathComponent("samples/\(name)").path,
             "--play", root.appendingPathComponent("samples/demos/\(name).keys").path,
             "--exit-at-end", "--pace", "0", "--record", cast.path], environment: ["TERM": "tmux-256color"]))
        let screen = try tmux.waitFor("EXIT=", timeout: 180, file: file, line: line)
        XCTAssertTrue(screen.contains("EXIT=0"), "\(name) at \(width)×\(height): \(screen)", file: file, line: line)
        let lines = try String(contentsOf: cast, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(header["width"] as? Int, width, file: file, line: line)
        XCTAssertEqual(header["height"] as? Int, height, file: file, line: line)
        let events = try lines.dropFirst().map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        let output = events.filter { $0[1] as? String == "o" }.compactMap { $0[2] as? String }.joined()
        for text in shows {
            XCTAssertTrue(output.contains(text), "\(name) at \(width)×\(height): the recording shows \(text)", file: file, line: line)
        }
    }

    /// A malformed script fails before the screen opens (no terminal needed), in one line naming file and line.
    func testAMalformedScriptFailsInOneLine() throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(getpid()).keys")
        try "# demo\nj\nEntr\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        try assertFailsInOneLine(["explore", "--play", bad.path], mentions: ["bad-\(getpid()).keys:3: unknown key 'Entr' (did you mean Enter?)"])
    }

    /// An unwritable recording path fails in one line before anything is shown.
    func testAnUnwritableRecordingFailsInOneLine() throws {
        let tmux = try TmuxSession(width: 160, height: 24, shellCommand: TmuxSession.command(
            ["explore", "--record", "/nonexistent-dir/x.cast"], environment: ["TERM": "tmux-256color"]))
        let screen = try tmux.waitFor("EXIT=")
        XCTAssertTrue(screen.contains("cannot write the recording /nonexistent-dir/x.cast: No such file or directory"), screen)
        XCTAssertFalse(screen.contains("EXIT=0"), screen)
    }

    /// While a demo plays, a key pauses it (and another resumes it); q quits with status 0. A resize
    /// on the way is recorded as an "r" event.
    func testAnyKeyPausesAndQQuits() throws {
        let cast = FileManager.default.temporaryDirectory.appendingPathComponent("pause-\(getpid()).cast")
        defer { try? FileManager.default.removeItem(at: cast) }
        let tmux = try TmuxSession(width: 100, height: 30, shellCommand: TmuxSession.command(
            ["explore", "--play", script, "--pace", "0.3", "--record", cast.path], environment: ["TERM": "tmux-256color"]))
        try tmux.waitFor("L1H3 stands out", timeout: 30)
        try tmux.send("x")
        try tmux.waitFor("demo paused: any key resumes, q quits")
        try tmux.resize(width: 120, height: 40)
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertTrue(try tmux.capture().contains("demo paused"), "nothing plays while paused")
        try tmux.send("x")
        try tmux.waitFor("Head L1H3 · ", timeout: 30)
        try tmux.send("q")
        let screen = try tmux.waitFor("EXIT=")
        XCTAssertTrue(screen.contains("EXIT=0"), screen)
        let events = try String(contentsOf: cast, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        XCTAssertTrue(events.contains { $0[1] as? String == "r" && $0[2] as? String == "120x40" })
        XCTAssertEqual(events.filter { $0[1] as? String == "i" && $0[2] as? String == "x" }.count, 2, "the pause keys are inputs too")
    }

    /// The recording's output, replayed into a fresh terminal of the same size, draws the screen
    /// the explorer showed at the end.
    func testTheRecordingReplaysToTheLastScreen() throws {
        let cast = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(getpid()).cast")
        let frames = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(getpid()).out")
        defer { for url in [cast, frames] { try? FileManager.default.removeItem(at: url) } }
        let tmux = try TmuxSession(width: 100, height: 30, shellCommand: TmuxSession.command(
            ["explore", "--play", script, "--pace", "0", "--record", cast.path], environment: ["TERM": "tmux-256color"]))
        let last = "what followed the name the first time"
        let shown = try tmux.waitFor(last, timeout: 60)
        try tmux.send("q")
        try tmux.waitFor("EXIT=0")

        let lines = try String(contentsOf: cast, encoding: .utf8).split(separator: "\n").dropFirst()
        let output = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
            .filter { $0[1] as? String == "o" }.compactMap { $0[2] as? String }.joined()
        try Data(output.utf8).write(to: frames)
        let replay = try TmuxSession(width: 100, height: 30, shellCommand: "cat \(TmuxSession.shellQuoted(frames.path)); sleep 600")
        // The last frame is the one after q: the same screen, the caption gone from the status line.
        let replayed = try replay.waitFor("Enter make the token the answer")
        func rows(_ screen: String) -> [Substring] { Array(screen.split(separator: "\n", omittingEmptySubsequences: false).prefix(29)) }
        XCTAssertEqual(rows(replayed), rows(shown))
        XCTAssertTrue(rows(shown).joined(separator: "\n").contains("A  1  ' l'"), shown)
    }

    private func playInductionDemo(width: Int, height: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let cast = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(getpid())-\(width).cast")
        defer { try? FileManager.default.removeItem(at: cast) }
        let tmux = try TmuxSession(width: width, height: height, shellCommand: TmuxSession.command(
            ["explore", "--play", script, "--exit-at-end", "--pace", "0", "--record", cast.path],
            environment: ["TERM": "tmux-256color"]))
        let screen = try tmux.waitFor("EXIT=", timeout: 60, file: file, line: line)
        XCTAssertTrue(screen.contains("EXIT=0"), screen, file: file, line: line)

        let lines = try String(contentsOf: cast, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(header["version"] as? Int, 2, file: file, line: line)
        XCTAssertEqual(header["width"] as? Int, width, file: file, line: line)
        XCTAssertEqual(header["height"] as? Int, height, file: file, line: line)
        XCTAssertEqual((header["env"] as? [String: String])?["TERM"], "tmux-256color", file: file, line: line)
        let events = try lines.dropFirst().map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [Any]) }
        let times = events.compactMap { $0[0] as? Double }
        XCTAssertEqual(times.count, events.count, file: file, line: line)
        XCTAssertEqual(times, times.sorted(), "times never decrease", file: file, line: line)
        // Every key the script pressed is an input event: ":metric induction-rand" and the rest, then "t".
        let inputs = events.filter { $0[1] as? String == "i" }.compactMap { $0[2] as? String }.joined()
        XCTAssertTrue(inputs.contains(":metric induction-rand\r"), inputs, file: file, line: line)
        XCTAssertTrue(inputs.contains(":head L1H3\r:lens\rt"), inputs, file: file, line: line)
        XCTAssertTrue(inputs.contains(":ablate L1H3\r"), inputs, file: file, line: line)
        let output = events.filter { $0[1] as? String == "o" }.compactMap { $0[2] as? String }.joined()
        XCTAssertTrue(output.hasPrefix("\u{1B}[?25l\u{1B}[0m\u{1B}[H\u{1B}[2J"), file: file, line: line)
        for shown in ["Head atlas", "Head L1H3", "Next token after"] {
            XCTAssertTrue(output.contains(shown), "the recording shows \(shown)", file: file, line: line)
        }
    }
}

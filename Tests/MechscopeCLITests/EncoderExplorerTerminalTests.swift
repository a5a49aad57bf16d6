import Foundation
import MechTestSupport
import XCTest

/// The explorer on a BERT encoder through the real binary in tmux: the atlas cycles only the metrics
/// defined without causality, a head opens with Enter, the next-token pages say in one line that they
/// do not apply, no key hint leads to a refusal, and `q` gives the terminal back.
final class EncoderExplorerTerminalTests: XCTestCase {
    private let prompt = "The quick brown fox jumps over the lazy dog."

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed (scripts/install-system-deps installs it)") }
    }

    func testBertTinyAt80x24() throws {
        try walk(GoldenFixtures.modelFolder("bert-tiny"), name: "bert-tiny", width: 80, height: 24)
    }

    func testBertTinyAt120x40() throws {
        try walk(GoldenFixtures.modelFolder("bert-tiny"), name: "bert-tiny", width: 120, height: 40)
    }

    /// The real all-MiniLM-L6-v2 (6 layers × 12 heads) takes the same walk. Its wheel's folder is called
    /// `model`, so the title names the folder above it too.
    func testRealMiniLMAt120x40() throws {
        let folder = try RealModels.require(RealModels.miniLMFolder)
        XCTAssertEqual(folder.lastPathComponent, "model")
        try walk(folder, name: "all-minilm-l6-v2/model", width: 120, height: 40)
    }

    private func walk(_ folder: URL, name: String, width: Int, height: Int,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let args = ["explore", folder.path, "--prompt", prompt]
        let tmux = try TmuxSession(width: width, height: height,
                                   shellCommand: TmuxSession.command(args, environment: ["TERM": "tmux-256color"], after: "stty -a;"))
        defer { tmux.kill() }
        let at = "\(name) at \(width)×\(height)"

        // Opens on the atlas shaded by the previous-token score; 12 tokens are [CLS], 10 words, [SEP].
        let atlas = try tmux.waitFor("Head atlas — previous-token score", file: file, line: line)
        let title = String(atlas.split(separator: "\n", omittingEmptySubsequences: false)[0])
        XCTAssertTrue(title.contains(" \(name) · ") && title.contains("Head atlas · 12 tok, [CLS] … [SEP] │ \"The quick"), "\(at): \(title)", file: file, line: line)
        XCTAssertTrue(try tmux.alternateScreenOn(), at, file: file, line: line)
        assertNoRefusedHints(atlas, at, file: file, line: line)
        XCTAssertTrue(statusLine(atlas).contains("m next metric"), "\(at): \(statusLine(atlas))", file: file, line: line)

        // m cycles previous-token → duplicate-token → entropy → previous-token, nothing else.
        var seen: [String] = []
        for next in ["Head atlas — duplicate-token score", "Head atlas — mean attention entropy", "Head atlas — previous-token score"] {
            try tmux.send("m")
            let screen = try tmux.waitFor(next, file: file, line: line)
            seen.append(screen)
            for other in ["induction", "OV copying", "direct logit attribution"] {
                XCTAssertFalse(screen.contains(other), "\(at): the atlas offered \(other):\n\(screen)", file: file, line: line)
            }
        }
        XCTAssertEqual(seen.count, 3, file: file, line: line)

        // Enter opens the head under the cursor (L0H0); its rows are the tokens, [CLS] first, [SEP] last.
        try tmux.send("Enter")
        let head = try tmux.waitFor("L0H0 pattern", file: file, line: line)
        let rows = head.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains { $0.contains("│ 0 [CLS]") }, "\(at):\n\(head)", file: file, line: line)
        XCTAssertTrue(rows.contains { $0.contains("│11 [SEP]") }, "\(at):\n\(head)", file: file, line: line)
        XCTAssertTrue(head.contains("scores: prev ") && !head.contains("ind "), "\(at):\n\(head)", file: file, line: line)
        XCTAssertTrue(head.contains("OV/QK: no LM head (bert encoder)"), "\(at):\n\(head)", file: file, line: line)
        assertNoRefusedHints(head, at, file: file, line: line)

        // :lens says in one sentence why it does not apply, and hints no key of the lens page.
        try tmux.type(":lens")
        try tmux.send("Enter")
        let lens = try tmux.waitFor("Logit lens does not apply: a bert encoder has no LM head", file: file, line: line)
        XCTAssertTrue(mainPane(lens).hasPrefix("Logit lens does not apply: a bert encoder has no LM head (no next-token logits)"),
                      "\(at): the reason is cut:\n\(lens)", file: file, line: line)
        XCTAssertFalse(statusLine(lens).contains("answer"), "\(at): \(statusLine(lens))", file: file, line: line)
        assertNoRefusedHints(lens, at, file: file, line: line)

        // Tab after :metric lists, beside the line, only the three metrics an encoder has.
        try tmux.type(":metric ")
        try tmux.send("Tab")
        let listed = try tmux.waitFor("metric prev-token  metric dup-token  metric entropy", file: file, line: line)
        XCTAssertTrue(statusLine(listed).hasPrefix(":metric   metric prev-token"), "\(at): \(statusLine(listed))", file: file, line: line)
        XCTAssertFalse(listed.contains("induction") || listed.contains("ov-copying") || listed.contains("dla"),
                       "\(at): \(statusLine(listed))", file: file, line: line)
        try tmux.send("Escape")

        try tmux.send("q")
        try tmux.assertRestored(status: 0, file: file, line: line)
    }

    /// The main pane's text (right of the navigator, between title and status rows), lines joined by spaces.
    private func mainPane(_ screen: String) -> String {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().dropLast()
        let text = rows.map { row in row.firstIndex(of: "│").map { String(row[row.index(after: $0)...]) } ?? String(row) }
        return text.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    private func statusLine(_ screen: String) -> String {
        String(screen.split(separator: "\n").last ?? "")
    }

    /// An encoder has no LM head: no hint may offer ablation.
    private func assertNoRefusedHints(_ screen: String, _ at: String, file: StaticString, line: UInt) {
        let status = statusLine(screen)
        XCTAssertFalse(status.contains("ablat"), "\(at): \(status)", file: file, line: line)
    }
}

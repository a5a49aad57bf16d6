import Foundation
import XCTest

/// The explorer as a user meets it: the real binary in tmux, keys in, screen out, and the
/// terminal given back on every way out.
final class ExplorerTerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed (scripts/install-system-deps installs it)") }
    }

    private func start(_ arguments: [String] = [], width: Int = 80, height: Int = 24,
                       environment: [String: String] = ["TERM": "tmux-256color"]) throws -> TmuxSession {
        try TmuxSession(width: width, height: height,
                        shellCommand: TmuxSession.command(arguments, environment: environment, after: "stty -a;"))
    }

    private func assertRestored(_ tmux: TmuxSession, status: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try tmux.assertRestored(status: status, file: file, line: line)
    }

    func testOpensOnTheBundledSampleAt80x24AndQuits() throws {
        let tmux = try start()
        let screen = try tmux.waitFor("Head atlas — induction score")
        XCTAssertTrue(screen.hasPrefix(" induction-2l · Head atlas · 40 tok, BOS │ \"The function Zorblatt"), screen)
        XCTAssertTrue(screen.contains("BOS"), "the sample runs with its training BOS convention")
        XCTAssertTrue(try tmux.alternateScreenOn())
        try tmux.send("q")
        try assertRestored(tmux, status: 0)
    }

    /// A model folder without prompts.txt opens on a default prompt, saying so, and `:export ~/x.txt`
    /// writes under $HOME (no shell expands `~` inside the explorer).
    func testAFolderWithoutPromptsOpensOnADefaultPromptAndExportExpandsHome() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("mechscope-home-\(UUID())")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let model = MechscopeProcess.goldenModel("gpt2-tiny-a").path
        XCTAssertFalse(FileManager.default.fileExists(atPath: model + "/prompts.txt"))
        let tmux = try start([model], width: 120, height: 30, environment: ["TERM": "tmux-256color", "HOME": home.path])
        let screen = try tmux.waitFor("Head atlas — induction score")
        XCTAssertTrue(screen.contains("│ \"When Mary and John went to the store, John"), screen)
        XCTAssertTrue(screen.contains("no --prompt and no prompts.txt: showing a default prompt (p edits it)"), screen)
        try tmux.type(":export ~/atlas.txt")
        try tmux.send("Enter")
        let deadline = Date().addingTimeInterval(10)
        let file = home.appendingPathComponent("atlas.txt").path
        while Date() < deadline, !FileManager.default.fileExists(atPath: file) { usleep(20_000) }
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains("Head atlas — induction score"))
        try tmux.send("q")
        try assertRestored(tmux, status: 0)
    }

    func testReachAHeadByCommandAndByKeysAt200x60() throws {
        let tmux = try start(width: 200, height: 60)
        try tmux.waitFor("Head atlas")
        try tmux.type(":head L1H3")
        try tmux.send("Enter")
        // The cursor starts on the last query ('ate' of "…Call Zorblatt_frobnicate"); after the BOS sink,
        // the induction head attends to ' t', the token that followed 'ate' the first time.
        let head = try tmux.waitFor("top keys of query 39 'ate':")
        let lines = head.split(separator: "\n").map(String.init)
        let list = try XCTUnwrap(lines.firstIndex { $0.contains("top keys of query 39 'ate':") })
        XCTAssertTrue(lines[list + 1].contains("0 '<|endoftext|>'"), lines[list + 1])
        XCTAssertTrue(lines[list + 2].contains("16 ' t'"), lines[list + 2])
        XCTAssertTrue(head.contains("16 ·t"), "query tokens label the rows (spaces as ·):\n\(head)")
        try tmux.send("a")
        try tmux.waitFor("Head atlas — ")
        try tmux.send("j", "l", "l", "l", "Enter")
        let screen = try tmux.waitFor("Head L1H3 · ")
        XCTAssertTrue(screen.split(separator: "\n")[0].contains("Head L1H3"))
        try tmux.send("C-c")
        try assertRestored(tmux, status: 0)
    }

    func testEditingThePromptRecomputes() throws {
        let tmux = try start(width: 120, height: 30)
        try tmux.waitFor("Head atlas")
        try tmux.send("t")
        try tmux.waitFor("Next token after")
        try tmux.send("p")
        try tmux.waitFor("Edit the prompt")
        try tmux.send("C-u")
        try tmux.type("glorp snib wuzzle frang tokamak brill. glorp snib")
        try tmux.send("Enter")
        let screen = try tmux.waitFor("the new prompt's run in the title") {
            $0.split(separator: "\n").first.map { $0.contains("31 tok, BOS │ \"glorp snib wuzzle") } ?? false
        }
        XCTAssertTrue(screen.contains("Next token after"), "the page stays where it was")
        let after = try tmux.waitFor("Next token after 'b'")
        XCTAssertTrue(after.contains("A  1  ' w'"), "induction predicts the start of ' wuzzle' again:\n\(after)")
        try tmux.send("q")
        try assertRestored(tmux, status: 0)
    }

    func testResizeWhileTheFirstRunComputesAndBelowTheMinimum() throws {
        let tmux = try start(width: 200, height: 60)
        try tmux.resize(width: 80, height: 24)
        var screen = try tmux.waitFor("Head atlas — ")
        XCTAssertEqual(screen.split(separator: "\n", omittingEmptySubsequences: false).count, 24 + 1)
        try tmux.resize(width: 40, height: 10)
        screen = try tmux.waitFor("terminal too small: 40×10")
        try tmux.resize(width: 120, height: 40)
        screen = try tmux.waitFor("Head atlas — ")
        XCTAssertFalse(screen.contains("too small"))
        try tmux.send("q")
        try assertRestored(tmux, status: 0)
    }

    func testSignalsGiveTheTerminalBack() throws {
        for (signal, status) in [(SIGTERM, 143), (SIGHUP, 129), (SIGINT, 130), (SIGSEGV, 139)] {
            let tmux = try start()
            try tmux.waitFor("Head atlas")
            let shell = try XCTUnwrap(try tmux.panePID())
            let child = try XCTUnwrap(Self.childPID(of: shell), "no mechscope process under the pane")
            kill(child, signal)
            try assertRestored(tmux, status: status)
        }
    }

    func testNoColorDrawsShadesAndDumbTerminalsGetOneLine() throws {
        let tmux = try start(environment: ["TERM": "tmux-256color", "NO_COLOR": "1"])
        try tmux.waitFor("Head atlas — ")
        let colored = try tmux.capture(colors: true)
        XCTAssertFalse(colored.contains("38;5;") || colored.contains("48;5;"), "NO_COLOR but 256-colour escapes drawn")
        XCTAssertTrue(colored.contains("█") || colored.contains("▓"), colored)
        try tmux.send("q")
        try assertRestored(tmux, status: 0)

        let dumb = try start(environment: ["TERM": "dumb"])
        let screen = try dumb.waitFor("EXIT=")
        XCTAssertTrue(screen.contains("cannot use the terminal TERM=dumb: it cannot position the cursor"), screen)
        XCTAssertTrue(screen.contains("EXIT=1"), screen)
    }

    func testWithoutATerminalTheExplorerSaysSoInOneLine() throws {
        try assertFailsInOneLine([], mentions: ["the explorer needs a terminal"])
    }

    /// The first child process of `pid` (the binary the pane's shell started).
    static func childPID(of pid: Int32) -> Int32? {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8),
               let first = text.split(separator: " ").first, let child = Int32(first) {
                return child
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }
}

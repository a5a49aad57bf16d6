import Foundation
import XCTest

/// Themes and colour depth in a real terminal: `:theme` and `NO_COLOR` change what is drawn and
/// nothing breaks; `COLORTERM=truecolor` with a direct-colour terminfo entry draws 24-bit colour.
final class ThemeTerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed (scripts/install-system-deps installs it)") }
    }

    private func start(_ arguments: [String] = [], width: Int = 80, height: Int = 24,
                       environment: [String: String] = ["TERM": "tmux-256color"]) throws -> TmuxSession {
        // `swift test` runs tests with NO_COLOR=1 in the environment: colour tests clear it.
        let environment = ["NO_COLOR": ""].merging(environment) { $1 }
        return try TmuxSession(width: width, height: height, shellCommand: TmuxSession.command(arguments, environment: environment))
    }

    func testThemeCommandRecoloursTheScreenAndTheExplorerKeepsWorking() throws {
        let tmux = try start()
        try tmux.waitFor("Head atlas — induction score")
        let dark = try tmux.capture(colors: true)
        XCTAssertTrue(dark.contains("48;5;233"), "the dark theme's background #121212 (xterm 233):")
        try tmux.type(":theme light")
        try tmux.send("Enter")
        // (The command line shows the words too: wait for the colours themselves.)
        try tmux.waitFor("the light background") { _ in (try? tmux.capture(colors: true).contains("48;5;231")) ?? false }
        let lightColors = try tmux.capture(colors: true)
        let light = try tmux.capture()
        XCTAssertTrue(light.contains(" theme light"), light)
        XCTAssertTrue(lightColors.contains("48;5;231"), "the light theme's white background (xterm 231)")
        XCTAssertFalse(lightColors.contains("48;5;233"), "no dark background left")
        XCTAssertEqual(AnsiStrip.lines(light).dropLast(), AnsiStrip.lines(try tmux.waitFor("Head atlas")).dropLast())
        // Moving and opening a head still works in the new colours.
        try tmux.send("j", "l", "l", "l", "Enter")
        try tmux.waitFor("Head L1H3 · ")
        try tmux.type(":theme projector")
        try tmux.send("Enter")
        try tmux.waitFor("the projector's title bar") { _ in (try? tmux.capture(colors: true).contains("48;5;16")) ?? false }
        try tmux.send("q")
        let after = try tmux.waitFor("EXIT=")
        XCTAssertTrue(after.contains("EXIT=0"), after)
    }

    func testNoColorIgnoresThemeColoursAndDrawsShades() throws {
        let tmux = try start(["--theme", "light"], environment: ["TERM": "tmux-256color", "NO_COLOR": "1"])
        try tmux.waitFor("Head atlas — ")
        try tmux.type(":theme high-contrast")
        try tmux.send("Enter")
        try tmux.waitFor("the switch's message") { $0.split(separator: "\n").last?.hasPrefix(" theme high-contrast") ?? false }
        let colored = try tmux.capture(colors: true)
        for escape in ["38;5;", "48;5;", "38;2;", "48;2;"] {
            XCTAssertFalse(colored.contains(escape), "NO_COLOR but \(escape) escapes drawn")
        }
        XCTAssertTrue(colored.contains("█") || colored.contains("▓") || colored.contains("▒"), colored)
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    func testTruecolorThroughADirectColourTerminfoEntry() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tic") else { throw XCTSkip("tic (ncurses-bin) is missing") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mechscope-terminfo-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // tmux-256color with direct colour, as ncurses's own tmux-direct entry defines it (Debian ships
        // that one in ncurses-term, which is not installed here).
        let source = folder.appendingPathComponent("tmux-direct.src")
        try """
        tmux-direct|tmux with 24-bit direct colour,
        \tRGB, colors#0x1000000, pairs#0x10000,
        \tsetab=\\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
        \tsetaf=\\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
        \tuse=tmux-256color,

        """.write(to: source, atomically: true, encoding: .utf8)
        XCTAssertEqual(system("/usr/bin/tic -x -o '\(folder.path)' '\(source.path)' 2>/dev/null"), 0, "tic failed")

        let tmux = try start(environment: ["TERM": "tmux-256color", "COLORTERM": "truecolor", "TERMINFO": folder.path])
        try tmux.waitFor("Head atlas — induction score")
        let colored = try tmux.capture(colors: true)
        XCTAssertTrue(colored.contains("48;2;18;18;18"), "the dark background #121212 as 24-bit colour")
        XCTAssertFalse(colored.contains("48;5;233"), "no 256-colour approximation of it")
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitFor("EXIT=").contains("EXIT=0"))

        // Without COLORTERM the same terminal stays at 256 colours.
        let plain = try start(environment: ["TERM": "tmux-256color", "TERMINFO": folder.path])
        try plain.waitFor("Head atlas — induction score")
        XCTAssertTrue(try plain.capture(colors: true).contains("48;5;233"))
        try plain.send("q")
        XCTAssertTrue(try plain.waitFor("EXIT=").contains("EXIT=0"))
    }

    func testAMalformedThemeFileFailsInOneLineNamingTheLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mechscope-bad-\(UUID()).theme")
        try "background = \"#000000\"\naccent = blue\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        try assertFailsInOneLine(["--theme", file.path], mentions: ["\(file.path):2: accent needs one \"#rrggbb\" colour, found 'blue'"])
        try assertFailsInOneLine(["--theme", "neon"], mentions: ["no theme 'neon' (themes: dark, high-contrast, light, monochrome, projector)"])
    }
}

/// Screen text without trailing blanks, for comparing captures line by line.
enum AnsiStrip {
    static func lines(_ screen: String) -> [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
    }
}

import Foundation
import XCTest

/// `mechscope samples/X` opens on the sample's story page, in a real terminal.
final class StoryTerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed (scripts/install-system-deps installs it)") }
    }

    private func start(_ sample: String, _ extra: [String] = [], width: Int = 120, height: Int = 40) throws -> TmuxSession {
        let folder = MechscopeProcess.repositoryRoot.appendingPathComponent("samples/\(sample)").path
        return try TmuxSession(width: width, height: height,
                               shellCommand: TmuxSession.command([folder] + extra, environment: ["TERM": "tmux-256color"]))
    }

    func testSuperpositionToyOpensOnItsFeaturesPage() throws {
        let tmux = try start("superposition-toy", width: 80, height: 24)
        let screen = try tmux.waitFor("Features — 16 of 20 represented")
        XCTAssertTrue(screen.contains("Interference WᵀW"), screen)
        XCTAssertTrue(screen.split(separator: "\n")[0].contains("superposition-toy · toy: 20 features in 5 dims · Features"), screen)
        try tmux.send("j")
        try tmux.waitFor("feature 1 shares dimensions with:")
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    /// With NO_COLOR, WᵀW keeps its sign in the terminal: negative entries in braille dots, positive
    /// ones in shades, and the legend shows the negative end, zero and the positive end.
    func testSuperpositionToyWithoutColourKeepsTheSign() throws {
        let folder = MechscopeProcess.repositoryRoot.appendingPathComponent("samples/superposition-toy").path
        let tmux = try TmuxSession(width: 100, height: 30,
                                   shellCommand: TmuxSession.command([folder], environment: ["TERM": "tmux-256color", "NO_COLOR": "1"]))
        let screen = try tmux.waitFor("Interference WᵀW   -1.30 ⣿⣶⣤⣀ 0 ░▒▓█ +1.30")
        XCTAssertTrue(screen.contains(" 0 ◆█░░⣤⣤░░░░⣤⣤"), "WᵀW[0][2] = -0.80 in braille, WᵀW[0][1] = +0.18 in a shade: \(screen)")
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    func testModularAdditionOpensOnItsFourierPage() throws {
        let tmux = try start("modadd-1l", ["--present"])
        let screen = try tmux.waitFor("key frequencies: 42 (30.2%)  1 (29.0%)  19 (20.6%)  38 (17.8%)")
        XCTAssertTrue(screen.hasPrefix("   FOURIER   ·   modadd-1l"), screen)
        try tmux.waitFor("accuracy over all 12769 inputs: 100.00% (12769 correct)", timeout: 120)
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    func testAToyModelTakesNoPrompt() throws {
        try assertFailsInOneLine([MechscopeProcess.repositoryRoot.appendingPathComponent("samples/superposition-toy").path,
                                  "--prompt", "hello"], mentions: ["is a toy superposition model: it takes no --prompt"])
    }
}

import Foundation
import MechTestSupport
import XCTest

/// The two-prompt workflow as a user meets it: the real binary in tmux, a corrupted prompt set
/// with `:corrupt`, the patching page filled, and values read off the screen equal to
/// `mechscope patch --json` on the same prompts.
final class PatchingTerminalTests: XCTestCase {
    private let clean = "glorp snib wuzzle frang tokamak brill. glorp snib"
    private let corrupted = "glorp snib frang wuzzle tokamak brill. glorp snib"

    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed (scripts/install-system-deps installs it)") }
    }

    /// The value of the cursor cell ("value 0.9876 · patched logit difference …").
    private func shownValue(_ screen: String) throws -> Double {
        let line = try XCTUnwrap(screen.split(separator: "\n").first { $0.contains("value ") }, screen)
        let text = line.components(separatedBy: "value ")[1].prefix { $0 != " " }
        return try XCTUnwrap(Double(text), String(line))
    }

    func testPatchingPageValuesEqualPatchJSON() throws {
        let sample = GoldenFixtures.sampleFolder("induction-2l").path
        let json = try runMechscopeJSONObject(["patch", sample, "--clean", clean, "--corrupted", corrupted, "--answer", " w",
                                               "--wrong", " f", "--prepend-bos", "--json"])
        let grids = try XCTUnwrap(json["grids"] as? [String: [String: Any]])
        func normalized(_ grid: String, _ layer: Int, _ column: Int) throws -> Double {
            let rows = try XCTUnwrap(grids[grid]?["normalized"] as? [[NSNumber]], grid)
            return rows[layer][column].doubleValue
        }

        let tmux = try TmuxSession(width: 120, height: 40, shellCommand: TmuxSession.command(
            [sample, "--prompt", clean], environment: ["TERM": "tmux-256color"]))
        try tmux.waitFor("Head atlas")
        for command in ["corrupt " + corrupted, "answer \" w\"", "wrong \" f\"", "patch heads"] {
            try tmux.type(":" + command)
            try tmux.send("Enter")
        }
        try tmux.waitFor("Activation patching · heads")
        try tmux.waitFor(" 8 cells · ")                  // the whole grid: 2 layers × 4 heads
        XCTAssertTrue(try tmux.capture().split(separator: "\n")[0].contains("⇄ \"glorp snib frang"), "the title shows both prompts")
        try tmux.send("j", "l", "l", "l")
        var screen = try tmux.waitFor("cursor heads L1H3")
        XCTAssertEqual(try shownValue(screen), try normalized("heads", 1, 3), accuracy: 1e-4, screen)
        XCTAssertGreaterThan(try normalized("heads", 1, 3), 0.5, "the induction head carries the answer")

        try tmux.send("s")                                // heads → resid_pre
        try tmux.waitFor(" 62 cells · ")                  // 2 layers × 31 positions
        try tmux.send("g", "5", "l")                       // layer 0, position 3 + 5 = 8 (the first differing token)
        screen = try tmux.waitFor("cursor resid_pre L0 pos 8")
        XCTAssertEqual(try shownValue(screen), try normalized("resid_pre", 0, 8), accuracy: 1e-4, screen)
        try tmux.send("q")
        let end = try tmux.waitFor("EXIT=")
        XCTAssertTrue(end.contains("EXIT=0"), end)
    }
}

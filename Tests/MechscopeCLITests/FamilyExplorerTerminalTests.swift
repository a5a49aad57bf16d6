import Foundation
import MechTestSupport
import XCTest

/// The explorer on a Llama-shaped folder (rotary positions, RMSNorm, grouped-query attention, gated
/// MLP) and a Pythia-shaped one (parallel blocks): the atlas, a head, the logit lens and the
/// embeddings open, and what the architecture lacks is said in one line.
final class FamilyExplorerTerminalTests: XCTestCase {
    override func setUpWithError() throws {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed (scripts/install-system-deps installs it)") }
    }

    private func open(_ model: String) throws -> TmuxSession {
        try open(path: GoldenFixtures.modelFolder(model).path)
    }

    private func open(path: String, command: [String] = ["explore"]) throws -> TmuxSession {
        let args = command + [path, "--prompt", "The quick brown fox. The quick brown"]
        return try TmuxSession(width: 160, height: 45,
                               shellCommand: TmuxSession.command(args, environment: ["TERM": "tmux-256color"]))
    }

    func testLlamaShapedFolderShowsAtlasHeadLensAndEmbeddings() throws {
        let tmux = try open("llama-tiny")
        defer { tmux.kill() }
        let atlas = try tmux.waitFor("Head atlas — induction score")
        XCTAssertTrue(atlas.contains("llama-tiny · 2L×4H d64 mlp128"), atlas)
        try tmux.send("Enter")
        let head = try tmux.waitFor("positional: no learned positions")
        XCTAssertTrue(head.contains("L0H0 attention pattern"), head)
        XCTAssertTrue(head.contains("copying score"), head)
        try tmux.type(":lens")
        try tmux.send("Enter")
        let lens = try tmux.waitFor("Logit lens · top token by layer")
        XCTAssertTrue(lens.contains("final_post"), lens)
        try tmux.type(":embed")
        try tmux.send("Enter")
        let embed = try tmux.waitFor("Tokens and embeddings")
        XCTAssertTrue(embed.contains("‖pos‖"), embed)
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitFor("EXIT=").contains("EXIT=0"))
    }

    /// A GGUF file has no config.json (where a folder names its story page): it opens on the atlas,
    /// both as `mechscope FILE` and `mechscope explore FILE`.
    func testGGUFFileOpensOnTheAtlas() throws {
        let file = GoldenFixtures.root.appendingPathComponent("gguf-families/llama-tiny.gguf").path
        for command in [[], ["explore"]] {
            let tmux = try open(path: file, command: command)
            defer { tmux.kill() }
            let atlas = try tmux.waitFor("Head atlas — induction score")
            XCTAssertTrue(atlas.contains("llama-tiny.gguf · 2L×4H"), atlas)
            try tmux.send("Enter")
            try tmux.waitFor("L0H0 attention pattern")
            try tmux.send("q")
            XCTAssertTrue(try tmux.waitFor("EXIT=").contains("EXIT=0"))
        }
    }

    func testPythiaShapedFolderOpensAHead() throws {
        let tmux = try open("pythia-tiny")
        defer { tmux.kill() }
        try tmux.waitFor("Head atlas — induction score")
        try tmux.send("Enter")
        try tmux.waitFor("positional: no learned positions")
        try tmux.type(":neurons L1")
        try tmux.send("Enter")
        try tmux.waitFor("L1 MLP · 256 neurons")
        try tmux.send("q")
        XCTAssertTrue(try tmux.waitFor("EXIT=").contains("EXIT=0"))
    }
}

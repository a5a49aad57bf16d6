import Foundation
import MechTestSupport
import XCTest

/// Every kind of bad input ends in a one-line message naming what and where, a non-zero exit
/// status, and no crash.
final class BadInputTests: XCTestCase {
    private var scratchFolder: ScratchFolder!
    private var scratch: URL { scratchFolder.url }

    override func setUpWithError() throws { scratchFolder = try ScratchFolder(prefix: "mechscope-cli") }

    override func tearDownWithError() throws { scratchFolder.remove() }

    private func copyOfTinyA() throws -> URL { try scratchFolder.copyOfGoldenModel("gpt2-tiny-a", as: "tiny-a") }

    /// Rewrites model.safetensors' header through `edit` (the data section is kept as it was).
    private func editHeader(of folder: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let url = folder.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: url)
        let length = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        var header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + Int(length)))) as! [String: Any]
        edit(&header)
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(data.subdata(in: (8 + Int(length))..<data.count))
        try out.write(to: url)
    }

    private func entry(_ header: [String: Any], _ name: String) -> [String: Any] { header[name] as! [String: Any] }

    func testTruncatedSafetensors() throws {
        let folder = try copyOfTinyA()
        let url = folder.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        try assertFailsInOneLine(["info", folder.path], mentions: ["model.safetensors"])
    }

    func testHeaderLengthBeyondFile() throws {
        let folder = try copyOfTinyA()
        let url = folder.appendingPathComponent("model.safetensors")
        var data = try Data(contentsOf: url)
        data.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Data($0) })
        try data.write(to: url)
        try assertFailsInOneLine(["info", folder.path], mentions: ["model.safetensors", "header"])
    }

    func testOffsetPastEnd() throws {
        let folder = try copyOfTinyA()
        try editHeader(of: folder) { header in
            var e = self.entry(header, "transformer.wte.weight")
            let offsets = e["data_offsets"] as! [Int]
            e["data_offsets"] = [offsets[0] + 100_000_000, offsets[1] + 100_000_000]
            header["transformer.wte.weight"] = e
        }
        try assertFailsInOneLine(["run", folder.path, "--prompt", "hi"], mentions: ["model.safetensors", "transformer.wte.weight"])
    }

    func testDtypeShapeMismatch() throws {
        let folder = try copyOfTinyA()
        try editHeader(of: folder) { header in
            var e = self.entry(header, "transformer.h.0.attn.c_proj.weight")
            e["dtype"] = "F16"
            header["transformer.h.0.attn.c_proj.weight"] = e
        }
        try assertFailsInOneLine(["info", folder.path], mentions: ["model.safetensors", "transformer.h.0.attn.c_proj.weight"])
    }

    func testMissingTensor() throws {
        let folder = try copyOfTinyA()
        try editHeader(of: folder) { header in header.removeValue(forKey: "transformer.h.1.ln_2.bias") }
        try assertFailsInOneLine(["run", folder.path, "--prompt", "hi"], mentions: ["h.1.ln_2.bias"])
    }

    func testWrongShapeForTheConfig() throws {
        let folder = try copyOfTinyA()
        try editHeader(of: folder) { header in
            var e = self.entry(header, "transformer.h.0.mlp.c_fc.bias")
            let shape = e["shape"] as! [Int]
            e["shape"] = [shape[0] / 2, 2]
            header["transformer.h.0.mlp.c_fc.bias"] = e
        }
        try assertFailsInOneLine(["info", folder.path], mentions: ["transformer.h.0.mlp.c_fc.bias", "shape"])
    }

    func testUnknownModelType() throws {
        let folder = try copyOfTinyA()
        let config = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"gpt2\"", with: "\"mamba\"")
        try text.write(to: config, atomically: true, encoding: .utf8)
        try assertFailsInOneLine(["info", folder.path], mentions: ["config.json", "mamba"])
    }

    func testMissingTokenizer() throws {
        let folder = try copyOfTinyA()
        for name in ["tokenizer.json", "vocab.json", "merges.txt"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let info = try MechscopeProcess.run(["info", folder.path])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("tokenizer  none"), info.stdout)
        try assertFailsInOneLine(["run", folder.path, "--prompt", "hi"], mentions: ["tokenizer", "tiny-a"])
    }

    func testPromptLongerThanContextAndEmptyPrompt() throws {
        let model = MechscopeProcess.goldenModel("gpt2-tiny-a").path
        try assertFailsInOneLine(["run", model, "--prompt", String(repeating: "one more word ", count: 100)],
                               mentions: ["longer than the model's context of 64"])
        try assertFailsInOneLine(["run", model, "--prompt", ""], mentions: ["prompt is empty"])
    }

    func testUnknownHookAndMissingFolder() throws {
        let model = MechscopeProcess.goldenModel("gpt2-tiny-a").path
        try assertFailsInOneLine(["dump", model, "--prompt", "hi", "--hook", "blocks.0.attn.hook_patern", "--out", scratch.path],
                               mentions: ["blocks.0.attn.hook_pattern"])
        try assertFailsInOneLine(["dump", model, "--prompt", "hi", "--hook", "blocks.7.hook_resid_pre", "--out", scratch.path],
                               mentions: ["blocks.7.hook_resid_pre"])
        try assertFailsInOneLine(["info", scratch.appendingPathComponent("nowhere").path], mentions: ["nowhere"])
    }

    func testOddUnicodePromptsRunWithoutTrouble() throws {
        let model = MechscopeProcess.goldenModel("gpt2-tiny-b").path
        for prompt in ["👨‍👩‍👧 e\u{301}", "\u{7}\t\r\n", "\u{FFFD}\u{200D}", "  "] {
            let outcome = try MechscopeProcess.run(["run", model, "--prompt", prompt, "--json"])
            XCTAssertEqual(outcome.status, 0, "\(prompt.unicodeScalars.map(\.value)): \(outcome.stderr)")
            XCTAssertFalse(outcome.crashed)
        }
    }
}

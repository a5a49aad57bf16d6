import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// Bad model folders and prompts give a typed error whose one-line message says what and where.
final class ModelInputErrorTests: XCTestCase {
    private var scratchFolder: ScratchFolder!
    private var scratch: URL { scratchFolder.url }

    override func setUpWithError() throws { scratchFolder = try ScratchFolder(prefix: "mechscope-model-errors") }

    override func tearDownWithError() throws { scratchFolder.remove() }

    /// A copy of tiny-a whose files the test may break.
    private func copyOfTinyA(_ name: String = "model") throws -> URL {
        try scratchFolder.copyOfGoldenModel("gpt2-tiny-a", as: name)
    }

    private func message(_ body: () throws -> Void) -> String {
        do { try body(); return "no error" } catch { return "\(error)" }
    }

    private func assertOneLine(_ text: String, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.contains("\n"), "multi-line message: \(text)", file: file, line: line)
        for part in parts { XCTAssertTrue(text.contains(part), "'\(text)' lacks '\(part)'", file: file, line: line) }
    }

    func testUnknownModelType() throws {
        let folder = try copyOfTinyA()
        let config = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"gpt2\"", with: "\"falcon\"")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let msg = message { _ = try LoadedModel(folder: folder) }
        assertOneLine(msg, contains: ["config.json", "unknown model_type 'falcon'"])
        // The list names every type that opens (it once left out bert).
        XCTAssertTrue(msg.hasSuffix("(supported: gpt2, llama, mistral, qwen2, gpt_neox, bert, mechscope_transformer, toy_superposition)"), msg)
    }

    func testMissingTensor() throws {
        let folder = try copyOfTinyA()
        let store = try WeightStore(folder: folder)
        var tensors: [String: Tensor] = [:]
        for name in store.names where name != "transformer.h.1.mlp.c_fc.bias" { tensors[name] = try store.tensor(named: name) }
        let config = try TransformerConfig(json: JSONConfig(url: folder.appendingPathComponent("config.json")))
        let msg = message { _ = try Transformer(config: config, source: InMemoryWeights(tensors, location: folder.path)) }
        assertOneLine(msg, contains: [folder.path, "transformer.h.1.mlp.c_fc.bias"])
    }

    func testWrongShapeFromConfig() throws {
        let folder = try copyOfTinyA()
        let config = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "\"n_positions\": 64", with: "\"n_positions\": 65")
        XCTAssertTrue(text.contains("65"))
        try text.write(to: config, atomically: true, encoding: .utf8)
        let msg = message { _ = try LoadedModel(folder: folder) }
        assertOneLine(msg, contains: ["wpe.weight", "[64, 64]", "[65, 64]"])
    }

    func testMissingTokenizerOnlyMattersForPrompts() throws {
        let folder = try copyOfTinyA()
        for file in ["tokenizer.json", "vocab.json", "merges.txt"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(file))
        }
        let model = try LoadedModel(folder: folder)
        XCTAssertNil(model.tokenizer)
        let msg = message { _ = try model.tokenize("hello") }
        assertOneLine(msg, contains: [folder.lastPathComponent, "tokenizer"])
    }

    func testEmptyAndTooLongPrompts() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-a"))
        XCTAssertEqual(message { _ = try model.tokenize("") }, ModelError.emptyPrompt.description)
        let long = String(repeating: "the cat sat on the mat and looked around. ", count: 20)
        let msg = message { _ = try model.tokenize(long) }
        assertOneLine(msg, contains: ["longer than the model's context of 64"])
        XCTAssertEqual(message { _ = try model.transformer.run([]) }, ModelError.emptyPrompt.description)
        assertOneLine(message { _ = try model.transformer.run([0, 512]) }, contains: ["512", "vocabulary of 512"])
    }

    func testTruncatedWeightsFile() throws {
        let folder = try copyOfTinyA()
        let weights = folder.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: weights)
        try data.prefix(data.count - 1000).write(to: weights)
        let msg = message { _ = try LoadedModel(folder: folder) }
        assertOneLine(msg, contains: ["model.safetensors"])
    }

    func testCancellationBetweenLayers() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-b"))
        var polls = 0
        XCTAssertThrowsError(try model.transformer.run([1, 2, 3], shouldContinue: { polls += 1; return polls < 2 })) {
            XCTAssertEqual($0 as? ModelError, .cancelled)
        }
        XCTAssertEqual(polls, 2)
    }
}

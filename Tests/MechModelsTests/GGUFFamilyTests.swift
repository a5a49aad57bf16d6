import Foundation
import XCTest
import MechFormats
import MechTensor
import MechTestSupport
@testable import MechModels

/// Small random Llama, Qwen2 and GPT-2 models written as llama.cpp GGUF files (F32 norms and embeddings,
/// F16 attention, Q8_0 MLP; Llama's Q/K rows permuted as llama.cpp's converter does), opened by Mechscope
/// and by `transformers`' GGUF loader (Tests/golden/make_gguf_family_goldens.py): config, token ids and
/// logits agree.
final class GGUFFamilyTests: XCTestCase {
    private let folder = GoldenFixtures.root.appendingPathComponent("gguf-families")

    func testLlamaQwen2AndGPT2GGUFFilesMatchTransformers() throws {
        let golden = try GoldenJSON.object(at: folder.appendingPathComponent("expected.json"))
        let models = golden["models"] as! [[String: Any]]
        XCTAssertEqual(models.count, 3)
        var cases = 0
        for m in models {
            let name = m["name"] as! String
            let model = try LoadedModel(gguf: folder.appendingPathComponent(m["file"] as! String))
            let config = m["config"] as! [String: Any]
            let c = model.config
            XCTAssertEqual(c.modelType, config["model_type"] as? String, name)
            XCTAssertEqual([c.nLayers, c.dModel, c.dMLP, c.nHeads, c.nKVHeads, c.nContext, c.vocabSize],
                           ["num_hidden_layers", "hidden_size", "intermediate_size", "num_attention_heads", "num_key_value_heads",
                            "max_position_embeddings", "vocab_size"].map { config[$0] as! Int }, name)
            // transformers leaves Qwen2's head_dim unset (d_model / heads).
            XCTAssertEqual(c.dHead, config["head_dim"] as? Int ?? c.dModel / c.nHeads, name)
            XCTAssertEqual(c.tiedEmbeddings, config["tie_word_embeddings"] as? Bool, name)
            for k in m["cases"] as! [[String: Any]] {
                let ids = try model.tokenize(k["prompt"] as! String)
                XCTAssertEqual(ids, GoldenJSON.ints(k["ids"]), name)
                let logits = try model.transformer.run(ids, caching: .none).logits      // [pos, vocab]
                let last = logits.row(ids.count - 1).scalars
                let expectedLast = GoldenJSON.doubles(k["last_logits"])
                let scale = expectedLast.map(abs).max()!
                XCTAssertEqual(last.count, expectedLast.count)
                for (ours, theirs) in zip(last, expectedLast) { XCTAssertEqual(Double(ours), theirs, accuracy: 1e-4 * scale, name) }
                for (p, row) in (k["first16_logits"] as! [[Any]]).enumerated() {
                    let ours = logits.row(p).scalars.prefix(16).map(Double.init)
                    for (a, b) in zip(ours, GoldenJSON.doubles(row)) { XCTAssertEqual(a, b, accuracy: 1e-4 * scale, "\(name) position \(p)") }
                }
                cases += 1
            }
        }
        XCTAssertEqual(cases, 6)
    }
}

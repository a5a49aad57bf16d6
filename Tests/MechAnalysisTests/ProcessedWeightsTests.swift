import Foundation
import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// TransformerLens's weight processing must leave the model's function unchanged (up to the
/// per-position constant that centring the unembedding removes from the logits).
final class ProcessedWeightsTests: XCTestCase {
    static let goldenModels = GoldenFixtures.root.appendingPathComponent("models")

    func testProcessedUnembeddingReproducesCentredLogits() throws {
        let model = try LoadedModel(folder: Self.goldenModels.appendingPathComponent("gpt2-tiny-b"))
        let ids = try model.tokenize("Processing weights must not change the function.")
        let run = try model.transformer.run(ids)
        let processed = ProcessedWeights(model.transformer)
        // logits' = normalized · W_U' + b_U'  ([pos, d_model] · [d_model, vocab])
        let normalized = run.cache[.lnFinalNormalized]!
        let logits = processed.unembedding.logits(normalized)
        for p in 0..<ids.count {
            let raw = run.logits.row(p).scalars
            let mean = raw.reduce(0, +) / Float(raw.count)
            let ours = logits.row(p).scalars
            for v in stride(from: 0, to: raw.count, by: 7) {
                XCTAssertEqual(ours[v], raw[v] - mean, accuracy: 1e-4 * max(1, abs(raw[v])))
            }
        }
    }

    func testProcessedAttentionReproducesTheCachedPattern() throws {
        let model = try LoadedModel(folder: Self.goldenModels.appendingPathComponent("gpt2-tiny-a"))
        let ids = try model.tokenize("Attention patterns survive folding.")
        let run = try model.transformer.run(ids)
        let w = ProcessedWeights(model.transformer)
        let l = 1, h = 2, d = model.config.dModel, dh = model.config.dHead
        // With fold_ln, q = normalized · W_Q'[h] + b_Q'[h] equals the raw model's hook_q.
        let x = run.cache[.ln1Normalized(l)]!                       // [pos, d_model]
        let attention = w.attention(l)
        let wQ = Tensor(shape: [d, dh], buffer: attention.wQ.buffer, offset: h * d * dh)
        let q = x.matmul(wQ)
        q.addToEachRow(Tensor(shape: [dh], buffer: attention.bQ.buffer, offset: h * dh))
        let rawQ = run.cache[.q(l)]!
        for p in 0..<ids.count {
            for j in 0..<dh { XCTAssertEqual(q[p, j], rawQ[p, h, j], accuracy: 1e-4) }
        }
    }
}

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

    /// fold_ln moves ln_2's weight (and bias) into W_in and, for gated MLPs, W_gate: the normalised
    /// input times the processed matrices gives the cached hook_pre (the gate, x·W_gate) and
    /// hook_pre_linear (x·W_in) of the raw model.
    func testProcessedMLPReproducesTheCachedPreActivations() throws {
        for (name, gated) in [("llama-tiny", true), ("llama-tiny-bf16", true), ("gpt2-tiny-a", false), ("gpt2-tiny-a-bf16", false)] {
            let model = try LoadedModel(folder: Self.goldenModels.appendingPathComponent(name))
            let ids = try model.tokenize("Gates fold like inputs do.")
            let run = try model.transformer.run(ids)
            let l = model.config.nLayers - 1, dMLP = model.config.dMLP
            let mlp = try XCTUnwrap(ProcessedWeights(model.transformer).mlp(l), name)
            XCTAssertEqual(mlp.wGate != nil, gated, name)
            let x = run.cache[.ln2Normalized(l)]!                    // [pos, d_model]
            func check(_ w: Tensor, _ b: Tensor, against hook: HookPoint) {
                let pre = x.matmul(w)                                 // [pos, d_mlp]
                pre.addToEachRow(b)
                let cached = run.cache[hook]!
                var checked = 0
                for p in 0..<ids.count {
                    for j in 0..<dMLP {
                        XCTAssertEqual(pre[p, j], cached[p, j], accuracy: 1e-4 * max(1, abs(cached[p, j])), "\(name) \(hook) [\(p), \(j)]")
                        checked += 1
                    }
                }
                XCTAssertEqual(checked, ids.count * dMLP)
            }
            if let wGate = mlp.wGate, let bGate = mlp.bGate {
                check(wGate, bGate, against: .mlpPre(l))
                check(mlp.wIn, mlp.bIn, against: .mlpPreLinear(l))
            } else {
                check(mlp.wIn, mlp.bIn, against: .mlpPre(l))
            }
        }
    }
}

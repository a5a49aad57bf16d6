import Foundation
import MechTensor
import XCTest
@testable import MechModels

/// Sequences longer than one attention query block (128) against attention computed naively
/// from the cached q, k, v.
final class LongSequenceAttentionTests: XCTestCase {
    private func randomModel(context: Int) throws -> Transformer {
        var state: UInt64 = 12345
        func random(_ shape: [Int], scale: Float) -> Tensor {
            Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return (Float(state >> 40) / Float(1 << 24) - 0.5) * 2 * scale
            })
        }
        let d = 32, vocab = 50, dMLP = 64
        let config = TransformerConfig(nLayers: 1, dModel: d, nHeads: 2, dMLP: dMLP, nContext: context, vocabSize: vocab)
        let tensors: [String: Tensor] = [
            "wte.weight": random([vocab, d], scale: 1), "wpe.weight": random([context, d], scale: 1),
            "h.0.ln_1.weight": random([d], scale: 1), "h.0.ln_1.bias": random([d], scale: 0.1),
            "h.0.attn.c_attn.weight": random([d, 3 * d], scale: 0.5), "h.0.attn.c_attn.bias": random([3 * d], scale: 0.1),
            "h.0.attn.c_proj.weight": random([d, d], scale: 0.2), "h.0.attn.c_proj.bias": random([d], scale: 0.1),
            "h.0.ln_2.weight": random([d], scale: 1), "h.0.ln_2.bias": random([d], scale: 0.1),
            "h.0.mlp.c_fc.weight": random([d, dMLP], scale: 0.2), "h.0.mlp.c_fc.bias": random([dMLP], scale: 0.1),
            "h.0.mlp.c_proj.weight": random([dMLP, d], scale: 0.2), "h.0.mlp.c_proj.bias": random([d], scale: 0.1),
            "ln_f.weight": random([d], scale: 1), "ln_f.bias": random([d], scale: 0.1),
        ]
        return try Transformer(config: config, source: InMemoryWeights(tensors))
    }

    func testAttentionBeyondOneQueryBlockMatchesTheDefinition() throws {
        let t = 300
        XCTAssertGreaterThan(t, Transformer.queryBlock * 2)
        let model = try randomModel(context: t)
        let tokens = (0..<t).map { ($0 * 7 + 3) % 50 }
        let run = try model.run(tokens)
        let q = run.cache[.q(0)]!, k = run.cache[.k(0)]!, v = run.cache[.v(0)]!
        let pattern = run.cache[.pattern(0)]!, scores = run.cache[.attnScores(0)]!, z = run.cache[.z(0)]!
        let dh = 16
        for h in 0..<2 {
            for i in [0, 127, 128, 200, 255, 256, 299] {
                var logits = [Double](repeating: 0, count: i + 1)
                for j in 0...i {
                    var dot = 0.0
                    for e in 0..<dh { dot += Double(q[i, h, e]) * Double(k[j, h, e]) }
                    logits[j] = dot / Double(dh).squareRoot()
                }
                let m = logits.max()!
                let weights = logits.map { Foundation.exp($0 - m) }
                let total = weights.reduce(0, +)
                for j in 0...i {
                    XCTAssertEqual(Double(scores[h, i, j]), logits[j], accuracy: 1e-4 * max(1, abs(logits[j])))
                    XCTAssertEqual(Double(pattern[h, i, j]), weights[j] / total, accuracy: 1e-5)
                }
                if i + 1 < t {
                    XCTAssertEqual(scores[h, i, i + 1], -.infinity)
                    XCTAssertEqual(pattern[h, i, t - 1], 0)
                }
                for e in 0..<dh {
                    var expected = 0.0
                    for j in 0...i { expected += weights[j] / total * Double(v[j, h, e]) }
                    XCTAssertEqual(Double(z[i, h, e]), expected, accuracy: 1e-4 * max(1, abs(expected)))
                }
            }
        }
        // Causality: a prefix run gives the same activations as the long run's first rows.
        let prefix = try model.run(Array(tokens.prefix(140)))
        assertRowsEqual(prefix.cache[.residPost(0)]!, run.cache[.residPost(0)]!, rows: 140)
    }

    private func assertRowsEqual(_ a: Tensor, _ b: Tensor, rows: Int) {
        let d = a.shape[1]
        for r in 0..<rows { for c in 0..<d { XCTAssertEqual(a[r, c], b[r, c], accuracy: 1e-5) } }
    }
}

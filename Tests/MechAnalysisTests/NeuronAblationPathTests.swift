import Foundation
import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// Neuron ablation takes two shortcuts (a resumed pass from the next block's edited input, and a
/// rank-one update of the logits for the last block); both must equal a full forward pass with
/// the neuron's hook_post set, in every layer, for zero and mean values.
final class NeuronAblationPathTests: XCTestCase {
    private func assertClose(_ a: Float, _ b: Float, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(a - b), 1e-4 * max(1, abs(b)), "\(message): \(a) vs \(b)", file: file, line: line)
    }

    func testEveryLayerMatchesAFullRunWithTheNeuronSet() throws {
        let (g, model) = try PatchingGolden.load("gpt2-tiny-b")
        let t = model.transformer, metric = LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id)
        let sweep = try AblationSweep(transformer: t, tokens: g.clean_tokens, metric: metric)
        let base = try t.run(g.clean_tokens)
        var compared = 0
        for layer in 0..<t.config.nLayers {
            let chosen = [0, 17, 101, t.config.dMLP - 1]
            let post = base.cache[.mlpPost(layer)]!
            for mode in AblationMode.allCases {
                let result = try sweep.neurons(layer: layer, mode, indices: chosen)
                XCTAssertEqual(result.effects.map(\.index), chosen)
                for e in result.effects {
                    var value: Float = 0
                    if mode == .mean {
                        var sum = 0.0
                        for p in 0..<post.shape[0] { sum += Double(post.pointer[p * t.config.dMLP + e.index]) }
                        value = Float(sum / Double(post.shape[0]))
                    }
                    let full = try t.run(g.clean_tokens, interventions: [.setNeuron(layer: layer, neuron: e.index, to: value)])
                    let label = "L\(layer)N\(e.index) \(mode.rawValue)"
                    XCTAssertEqual(e.layer, layer)
                    assertClose(e.logitDiff, metric.value(full.logits), label)
                    assertClose(e.loss!, AblationLoss.meanNextTokenLoss(logits: full.logits, tokens: g.clean_tokens)!, label + " loss")
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, t.config.nLayers * 2 * 4)
    }

    /// RMSNorm (llama-tiny, gated MLP) and GPT-NeoX's parallel blocks (pythia-tiny): both shortcuts
    /// equal a full run with the neuron's hook_post set, in every layer.
    func testRMSNormAndParallelBlocksMatchAFullRun() throws {
        var compared = 0
        for name in ["llama-tiny", "pythia-tiny"] {
            let model = try LoadedModel(folder: GoldenFixtures.modelFolder(name))
            let t = model.transformer, tokens = try GoldenFixtures.meta(name, "ascii_sentence").token_ids
            let metric = LogitDiffMetric(answer: 5, wrong: 7)
            let sweep = try AblationSweep(transformer: t, tokens: tokens, metric: metric)
            for layer in 0..<t.config.nLayers {
                let chosen = [0, 33, t.config.dMLP - 1]
                let result = try sweep.neurons(layer: layer, .zero, indices: chosen)
                XCTAssertEqual(result.effects.map(\.index), chosen)
                for e in result.effects {
                    let full = try t.run(tokens, interventions: [.setNeuron(layer: layer, neuron: e.index, to: 0)])
                    let label = "\(name) L\(layer)N\(e.index)"
                    assertClose(e.logitDiff, metric.value(full.logits), label)
                    assertClose(e.loss!, AblationLoss.meanNextTokenLoss(logits: full.logits, tokens: tokens)!, label + " loss")
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, 2 * 2 * 3)
    }

    /// Without a final LayerNorm (modadd-1l, one block): the rank-one update needs no rescaling.
    func testTheLastBlockOfAModelWithoutLayerNormMatchesAFullRun() throws {
        let model = try LoadedModel(folder: GoldenFixtures.sampleFolder("modadd-1l"))
        let t = model.transformer, tokens = [12, 45, 113]
        XCTAssertFalse(t.config.hasLayerNorm)
        let metric = LogitDiffMetric(answer: 57, wrong: 58)
        let sweep = try AblationSweep(transformer: t, tokens: tokens, metric: metric)
        let chosen = Array(stride(from: 0, to: t.config.dMLP, by: 37))
        let result = try sweep.neurons(layer: 0, .zero, indices: chosen)
        XCTAssertEqual(result.effects.count, chosen.count)
        var moved = 0
        for e in result.effects {
            let full = try t.run(tokens, interventions: [.setNeuron(layer: 0, neuron: e.index, to: 0)])
            assertClose(e.logitDiff, metric.value(full.logits), "N\(e.index)")
            assertClose(e.loss!, AblationLoss.meanNextTokenLoss(logits: full.logits, tokens: tokens)!, "N\(e.index) loss")
            if abs(e.logitDiffChange) > 1e-3 { moved += 1 }
        }
        XCTAssertGreaterThan(moved, 0, "some neuron must matter, or the comparison proves nothing")
    }

    /// The rank-one log-sum-exp against a direct evaluation, on sizes that leave tails in both the
    /// vector width and the tile.
    func testRankOneLogSumExpEqualsTheDirectSum() {
        let P = 3, K = 2, n = 1024 + 37
        var a = [Float](repeating: 0, count: P * n), b = [Float](repeating: 0, count: K * n), e = [Float](repeating: 0, count: n)
        for i in 0..<(P * n) { a[i] = Float(sin(Double(i) * 0.37)) * 4 }
        for i in 0..<(K * n) { b[i] = Float(cos(Double(i) * 0.11)) }
        for i in 0..<n { e[i] = Float(i % 7) * 0.1 }
        let c: [Float] = [0.5, -1, 2, 0, 3, -0.25], s: [Float] = [1, 0.5, 2, 1, 0.9, 1.1]
        var out = [Double](repeating: 0, count: K * P)
        RankOneLogSumExp.compute(a: a, positions: P, b: b, rows: K, e: e, count: n, coefficient: c, scale: s, into: &out)
        for k in 0..<K {
            for p in 0..<P {
                let i = k * P + p
                let xs = (0..<n).map { Double((a[p * n + $0] - c[i] * b[k * n + $0]) * s[i] + e[$0]) }
                let m = xs.max()!
                let expected = m + log(xs.reduce(0) { $0 + exp($1 - m) })
                XCTAssertEqual(out[i], expected, accuracy: 1e-5 * abs(expected), "k \(k) p \(p)")
            }
        }
    }
}

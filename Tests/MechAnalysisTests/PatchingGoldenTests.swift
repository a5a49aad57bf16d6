import Foundation
import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// The reference numbers from TransformerLens 4 (Tests/golden/analysis/make_patching_goldens.py).
struct PatchingGolden: Decodable {
    struct Ablation: Decodable {
        struct Grid: Decodable { let logit_diff: [[Float]]; let loss: [[Float]] }
        struct Neurons: Decodable { let layer: Int; let logit_diff: [Float]; let loss: [Float] }
        let baseline_logit_diff: Float
        let baseline_loss: Float
        let heads_zero: Grid
        let heads_mean: Grid
        let neurons_zero: Neurons
        let neurons_mean: Neurons
    }
    let model: String
    let clean: String
    let corrupted: String
    let prepend_bos: Bool
    let clean_tokens: [Int]
    let corrupted_tokens: [Int]
    let answer_id: Int
    let wrong_id: Int
    let clean_logit_diff: Float
    let corrupted_logit_diff: Float
    let denoising: [String: [[Float]]]
    let noising: [String: [[Float]]]
    let ablation: Ablation

    static func load(_ model: String) throws -> (PatchingGolden, LoadedModel) {
        let url = GoldenFixtures.analysis("patching/\(model).json")
        let golden = try JSONDecoder().decode(PatchingGolden.self, from: Data(contentsOf: url))
        return (golden, try LoadedModel(folder: GoldenFixtures.modelFolder(model)))
    }
}

/// Patching grids and ablation effects against TransformerLens 4 (TransformerBridge in
/// compatibility mode). Values are logit differences and ratios of order 1, compared at 1e-4
/// relative to max(1, |reference|); the prompts' clean and corrupted differences are 0.35 or more
/// apart, so the ratio is well conditioned.
final class PatchingGoldenTests: XCTestCase {
    static let gpt2Models = ["gpt2-tiny-a", "gpt2-tiny-b"]
    /// With the Llama-shaped qwen2-tiny (q/k/v biases) and llama3-tiny (1 key/value head, d_head 24):
    /// RMSNorm, rotary positions, grouped-query attention, gated MLPs; and the Pythia-shaped
    /// pythia-tiny: parallel attention and MLP, partial rotary, untied unembedding with LayerNorm.
    static let models = gpt2Models + ["qwen2-tiny", "llama3-tiny", "pythia-tiny"]

    private func assertClose(_ ours: Float, _ reference: Float, _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ours, reference, accuracy: 1e-4 * max(1, abs(reference)), label, file: file, line: line)
    }

    private func assertGrid(_ grid: PatchingGrid, _ reference: [[Float]]?, _ label: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        guard let reference else { return XCTFail("\(label): no reference grid", file: file, line: line) }
        XCTAssertEqual(grid.layers, reference.count, label, file: file, line: line)
        for (l, row) in reference.enumerated() {
            XCTAssertEqual(grid.columns, row.count, label, file: file, line: line)
            for (c, value) in row.enumerated() {
                assertClose(grid.normalized(layer: l, column: c), value, "\(label)[\(l), \(c)]", file: file, line: line)
            }
        }
    }

    func testTokenizationMatchesTheReference() throws {
        for name in Self.models {
            let (g, model) = try PatchingGolden.load(name)
            XCTAssertEqual(try model.tokenize(g.clean, bos: BOSChoice(flag: g.prepend_bos)), g.clean_tokens, name)
            XCTAssertEqual(try model.tokenize(g.corrupted, bos: BOSChoice(flag: g.prepend_bos)), g.corrupted_tokens, name)
        }
    }

    func testDenoisingGridsMatchTransformerLens() throws {
        for name in Self.models {
            let (g, model) = try PatchingGolden.load(name)
            let sweep = try PatchingSweep(transformer: model.transformer, clean: g.clean_tokens, corrupted: g.corrupted_tokens,
                                          metric: LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id))
            assertClose(sweep.cleanLogitDiff, g.clean_logit_diff, "\(name) clean diff")
            assertClose(sweep.corruptedLogitDiff, g.corrupted_logit_diff, "\(name) corrupted diff")
            let grids = try sweep.run(PatchingTarget.allCases)
            XCTAssertEqual(grids.map(\.target), PatchingTarget.allCases)
            for grid in grids {
                assertGrid(grid, g.denoising[grid.target.rawValue], "\(name) denoising \(grid.target.rawValue)")
            }
        }
    }

    func testNoisingGridsMatchTransformerLens() throws {
        for name in Self.models {
            let (g, model) = try PatchingGolden.load(name)
            let sweep = try PatchingSweep(transformer: model.transformer, clean: g.clean_tokens, corrupted: g.corrupted_tokens,
                                          metric: LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id), direction: .noising)
            XCTAssertEqual(Set(g.noising.keys), Set(PatchingTarget.allCases.map(\.rawValue)), name)
            let grids = try sweep.run(PatchingTarget.allCases)
            XCTAssertEqual(grids.map(\.target), PatchingTarget.allCases)
            for grid in grids {
                XCTAssertEqual(grid.direction, .noising)
                assertGrid(grid, g.noising[grid.target.rawValue], "\(name) noising \(grid.target.rawValue)")
            }
        }
    }

    /// Cells known without a run: before the first differing position (14 in tiny-a's 22 tokens,
    /// 15 in tiny-b's 23 with BOS), block 0's resid_pre where the tokens agree, and the last block's
    /// attn_out/mlp_out before the last position. The skipped value is what a full patched run gives,
    /// bit for bit: the patch writes the values already there, so the full run repeats the corrupted
    /// run's products exactly (the guarantee BLASDeterminismTests pins).
    func testKnownCellsSkipTheirRunsAndEqualAFullPatchedRun() throws {
        let expected: [String: [PatchingTarget: Int]] = [
            "gpt2-tiny-a": [.residPre: 1 + 8, .attnOut: 8 + 1, .mlpOut: 8 + 1, .heads: 8],
            "gpt2-tiny-b": [.residPre: 1 + 8 + 8, .attnOut: 8 + 8 + 1, .mlpOut: 8 + 8 + 1, .heads: 15],
        ]
        for name in Self.gpt2Models {
            let (g, model) = try PatchingGolden.load(name)
            let metric = LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id)
            let sweep = try PatchingSweep(transformer: model.transformer, clean: g.clean_tokens,
                                          corrupted: g.corrupted_tokens, metric: metric)
            XCTAssertEqual(sweep.plan.firstDifference, name == "gpt2-tiny-a" ? 14 : 15)
            for grid in try sweep.run(PatchingTarget.allCases) {
                XCTAssertEqual(grid.forwardPasses, expected[name]?[grid.target], "\(name) \(grid.target.rawValue)")
            }
            let t = model.transformer
            let clean = try t.run(g.clean_tokens), last = t.config.nLayers - 1
            for (hook, position) in [(HookPoint.residPre(1), 3), (.mlpOut(last), 16), (.attnOut(last), 20)] {
                let full = try t.run(g.corrupted_tokens, interventions: [.patch(hook, from: clean.cache[hook]!, positions: [position])])
                XCTAssertEqual(metric.value(full.logits), sweep.corruptedLogitDiff, "\(name) \(hook.name) at \(position)")
            }
        }
    }

    func testHeadAblationMatchesTransformerLens() throws {
        for name in Self.models {
            let (g, model) = try PatchingGolden.load(name)
            let sweep = try AblationSweep(transformer: model.transformer, tokens: g.clean_tokens,
                                          metric: LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id))
            assertClose(sweep.baselineLogitDiff, g.ablation.baseline_logit_diff, "\(name) baseline diff")
            assertClose(sweep.baselineLoss ?? .nan, g.ablation.baseline_loss, "\(name) baseline loss")
            for (mode, reference) in [(AblationMode.zero, g.ablation.heads_zero), (.mean, g.ablation.heads_mean)] {
                let result = try sweep.heads(mode)
                XCTAssertEqual(result.effects.count, model.config.nLayers * model.config.nHeads)
                for e in result.effects {
                    let label = "\(name) \(mode.rawValue) L\(e.layer)H\(e.index)"
                    assertClose(e.logitDiff, reference.logit_diff[e.layer][e.index], label)
                    assertClose(e.loss ?? .nan, reference.loss[e.layer][e.index], label + " loss")
                    XCTAssertEqual(e.logitDiffChange, e.logitDiff - sweep.baselineLogitDiff)
                }
            }
        }
    }

    /// Every neuron of tiny-a's last layer; every seventh of tiny-b's (a debug build runs the
    /// full sweeps slowly, and the reference covers all of them).
    func testNeuronAblationMatchesTransformerLens() throws {
        for name in Self.models {
            let (g, model) = try PatchingGolden.load(name)
            let sweep = try AblationSweep(transformer: model.transformer, tokens: g.clean_tokens,
                                          metric: LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id))
            let chosen = name == "gpt2-tiny-a" ? nil : Array(stride(from: 3, to: model.config.dMLP, by: 7))
            for (mode, reference) in [(AblationMode.zero, g.ablation.neurons_zero), (.mean, g.ablation.neurons_mean)] {
                let result = try sweep.neurons(layer: reference.layer, mode, indices: chosen)
                XCTAssertEqual(result.effects.map(\.index), chosen ?? Array(0..<model.config.dMLP))
                for e in result.effects {
                    assertClose(e.logitDiff, reference.logit_diff[e.index], "\(name) \(mode.rawValue) N\(e.index)")
                    assertClose(e.loss ?? .nan, reference.loss[e.index], "\(name) \(mode.rawValue) N\(e.index) loss")
                }
                let strongest = result.strongest(3)
                XCTAssertEqual(strongest.count, 3)
                XCTAssertGreaterThanOrEqual(abs(strongest[0].logitDiffChange), abs(strongest[2].logitDiffChange))
                XCTAssertEqual(abs(strongest[0].logitDiffChange), result.effects.map { abs($0.logitDiffChange) }.max())
            }
        }
    }
}

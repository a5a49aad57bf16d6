import Foundation
import MechModels
import MechTensor
import XCTest
@testable import MechAnalysis

/// The sweeps' contract beyond the numbers: errors, progress, cancellation, references for means.
final class PatchingSweepTests: XCTestCase {
    func testUnequalLengthsNameBothLengths() throws {
        let (_, model) = try PatchingGolden.load("gpt2-tiny-a")
        XCTAssertThrowsError(try PatchingSweep(transformer: model.transformer, clean: [1, 2, 3], corrupted: [1, 2],
                                               metric: LogitDiffMetric(answer: 4, wrong: 5))) { error in
            XCTAssertEqual(error as? PatchingError, .lengthMismatch(clean: 3, corrupted: 2))
            let text = "\(error)"
            XCTAssertTrue(text.contains("3 tokens") && text.contains("corrupted prompt 2"), text)
            XCTAssertEqual(text.split(separator: "\n").count, 1)
        }
    }

    /// `grid(_:cellDone:)` (the explorer draws its grid from it) reports every cell once, layer-major,
    /// with the value the finished grid holds, and refuses mlp_out on an attention-only model.
    func testGridReportsEveryCellInOrderWithItsValue() throws {
        let (g, model) = try PatchingGolden.load("gpt2-tiny-a")
        let sweep = try PatchingSweep(transformer: model.transformer, clean: g.clean_tokens, corrupted: g.corrupted_tokens,
                                      metric: LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id))
        for target in PatchingTarget.allCases {
            var seen: [(Int, Int, Float)] = []
            let grid = try sweep.grid(target) { seen.append(($0, $1, $2)) }
            XCTAssertEqual(seen.count, sweep.cellCount(target))
            XCTAssertEqual(seen.count, grid.layers * grid.columns)
            for (i, cell) in seen.enumerated() {
                XCTAssertEqual(cell.0, i / grid.columns)
                XCTAssertEqual(cell.1, i % grid.columns)
                XCTAssertEqual(cell.2, grid.patchedLogitDiff(layer: cell.0, column: cell.1))
            }
            XCTAssertEqual(grid, try sweep.run([target])[0], "the same grid as run")
        }
    }

    func testOutOfRangeTokensAndIndistinguishableRunsAreErrors() throws {
        let (g, model) = try PatchingGolden.load("gpt2-tiny-a")
        let t = model.transformer
        XCTAssertThrowsError(try PatchingSweep(transformer: t, clean: g.clean_tokens, corrupted: g.corrupted_tokens,
                                               metric: LogitDiffMetric(answer: 512, wrong: 5))) {
            XCTAssertEqual($0 as? PatchingError, .tokenOutOfRange(role: "answer", token: 512, vocabSize: 512))
        }
        XCTAssertThrowsError(try AblationSweep(transformer: t, tokens: g.clean_tokens,
                                               metric: LogitDiffMetric(answer: 3, wrong: -1))) {
            XCTAssertEqual($0 as? AblationError, .tokenOutOfRange(role: "wrong", token: -1, vocabSize: 512))
        }
        // Identical prompts: the normalised metric would divide by zero.
        XCTAssertThrowsError(try PatchingSweep(transformer: t, clean: g.clean_tokens, corrupted: g.clean_tokens,
                                               metric: LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id))) {
            guard case .indistinguishableRuns = $0 as? PatchingError else { return XCTFail("\($0)") }
        }
        let sweep = try AblationSweep(transformer: t, tokens: g.clean_tokens, metric: LogitDiffMetric(answer: 3, wrong: 4))
        XCTAssertThrowsError(try sweep.neurons(layer: 2, .zero)) {
            XCTAssertEqual($0 as? AblationError, .layerOutOfRange(layer: 2, layers: 2))
        }
        XCTAssertThrowsError(try sweep.neurons(layer: 1, .zero, indices: [3, 256])) {
            XCTAssertEqual($0 as? AblationError, .neuronOutOfRange(neuron: 256, dMLP: 256))
        }
    }

    func testProgressCountsEveryCellAndCancellationStopsBetweenRuns() throws {
        let (g, model) = try PatchingGolden.load("gpt2-tiny-b")
        let sweep = try PatchingSweep(transformer: model.transformer, clean: g.clean_tokens, corrupted: g.corrupted_tokens,
                                      metric: LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id))
        var reports: [(Int, Int)] = []
        _ = try sweep.run([.residPre, .heads], progress: { reports.append(($0, $1)) })
        let total = 3 * 23 + 3 * 5
        XCTAssertEqual(sweep.cellCount([.residPre, .heads]), total)
        XCTAssertEqual(reports.map(\.0), Array(1...total))
        XCTAssertTrue(reports.allSatisfy { $0.1 == total })

        var polls = 0
        var done = 0
        XCTAssertThrowsError(try sweep.run([.heads], shouldContinue: { polls += 1; return polls <= 4 },
                                           progress: { d, _ in done = d })) {
            XCTAssertEqual($0 as? ModelError, .cancelled)
        }
        XCTAssertLessThan(done, 15)

        let ablation = try AblationSweep(transformer: model.transformer, tokens: g.clean_tokens,
                                         metric: LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id))
        var ablated = 0
        XCTAssertThrowsError(try ablation.heads(.zero, shouldContinue: { ablated < 3 }, progress: { d, _ in ablated = d })) {
            XCTAssertEqual($0 as? ModelError, .cancelled)
        }
        XCTAssertEqual(ablated, 3)
    }

    /// Mean-ablation averages over the reference prompt's positions: with the prompt itself as the
    /// reference it equals the default (bit for bit: the same products on the same inputs, as
    /// BLASDeterminismTests pins), with another prompt it differs.
    func testMeanAblationUsesTheReferencePrompt() throws {
        let (g, model) = try PatchingGolden.load("gpt2-tiny-a")
        let metric = LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id)
        let t = model.transformer
        let own = try AblationSweep(transformer: t, tokens: g.clean_tokens, metric: metric).heads(.mean)
        let same = try AblationSweep(transformer: t, tokens: g.clean_tokens, metric: metric, reference: g.clean_tokens).heads(.mean)
        let other = try AblationSweep(transformer: t, tokens: g.clean_tokens, metric: metric,
                                      reference: try model.tokenize("A different reference prompt entirely.")).heads(.mean)
        XCTAssertEqual(own.effects, same.effects)
        XCTAssertNotEqual(own.effects.map(\.logitDiff), other.effects.map(\.logitDiff))
        // Zero-ablation is not mean-ablation.
        XCTAssertNotEqual(try AblationSweep(transformer: t, tokens: g.clean_tokens, metric: metric).heads(.zero).effects, own.effects)
    }

    /// The two-row shortcut the sweeps use gives the difference of the full logits, on a model
    /// with a tied unembedding (tiny-a) and after a resumed run.
    func testLogitDiffFromTheFinalResidualEqualsTheFullLogits() throws {
        let (g, model) = try PatchingGolden.load("gpt2-tiny-a")
        let metric = LogitDiffMetric(answer: g.answer_id, wrong: g.wrong_id)
        let run = try model.transformer.run(g.clean_tokens, caching: .all)
        let final = try model.transformer.resume(from: run, layer: 1, position: 5, computeLogits: false).finalResidual
        let full = metric.value(run.logits)
        XCTAssertEqual(metric.value(finalResidual: final, weights: model.transformer.weights), full, accuracy: 1e-5 * max(1, abs(full)))
        XCTAssertEqual(metric.value(run.logits.row(g.clean_tokens.count - 1)), full)
        XCTAssertEqual(LogitDiffMetric.normalized(0.5, clean: 2, corrupted: 1), -0.5)
    }

    func testOneTokenPromptHasNoLoss() throws {
        let (_, model) = try PatchingGolden.load("gpt2-tiny-a")
        let sweep = try AblationSweep(transformer: model.transformer, tokens: [17], metric: LogitDiffMetric(answer: 3, wrong: 4))
        XCTAssertNil(sweep.baselineLoss)
        let result = try sweep.heads(.zero)
        XCTAssertTrue(result.effects.allSatisfy { $0.loss == nil && $0.lossChange == nil })
        XCTAssertTrue(result.effects.contains { $0.logitDiffChange != 0 })
    }
}

import Foundation
import MechAnalysis
import MechModels
import XCTest
@testable import MechTUI

/// Live ablation in the explorer: x / X on the atlas, a head or a neuron reruns the prompt with the
/// ablation, and the next-token page shows the ablated run against the clean one with the numbers
/// `mechscope ablate --json` reports (computed here independently through `AblationSweep`).
final class AblationViewTests: XCTestCase {
    /// The explorer on `prompt` with the clean run's top-1 as answer and top-2 as wrong token.
    private func explorer(_ sample: String, _ prompt: String) throws -> (HeadlessExplorer, LogitDiffMetric, [Int]) {
        let x = HeadlessExplorer(session: try SampleSessions.session(sample), prompt: prompt, width: 120, height: 40)
        let run = try XCTUnwrap(x.state.run)
        let metric = LogitDiffMetric(answer: run.topNext[0].tokenID, wrong: run.topNext[1].tokenID)
        x.command("answer #\(metric.answer)")
        x.command("wrong #\(metric.wrong)")
        return (x, metric, run.tokens)
    }

    /// The Δ of a readout line such as "  logit difference 1.2345 (clean 2.3456, Δ -1.1111)".
    private func shownDelta(_ x: HeadlessExplorer, _ prefix: String) throws -> Double {
        let line = try XCTUnwrap(x.mainText.components(separatedBy: "\n").first { $0.hasPrefix(prefix) }, x.mainText)
        let delta = try XCTUnwrap(line.components(separatedBy: "Δ ").last?.dropLast(), line)
        return try XCTUnwrap(Double(delta.trimmingCharacters(in: CharacterSet(charactersIn: "%"))), line)
    }

    private func assertShown(_ x: HeadlessExplorer, matches e: AblationEffect, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        let (ablated, clean) = try XCTUnwrap(AblationReadout.comparison(x.state), what)
        XCTAssertEqual(Double(ablated.logitDifference! - clean.logitDifference!), Double(e.logitDiffChange),
                       accuracy: 1e-4, "\(what): Δ logit difference", file: file, line: line)
        XCTAssertEqual(Double(ablated.loss! - clean.loss!), Double(e.lossChange!), accuracy: 1e-4,
                       "\(what): Δ loss", file: file, line: line)
        x.press(.char("t"))
        XCTAssertEqual(try shownDelta(x, "  logit difference "), Double(e.logitDiffChange), accuracy: 2e-4,
                       "\(what): shown Δ logit difference", file: file, line: line)
        XCTAssertEqual(try shownDelta(x, "  loss "), Double(e.lossChange!), accuracy: 2e-4,
                       "\(what): shown Δ loss", file: file, line: line)
    }

    func testZeroAndMeanAblatingL1H3OnInductionMatchAblateJSON() throws {
        let (x, metric, tokens) = try explorer("induction-2l", SampleSessions.inductionPrompt)
        let sweep = try AblationSweep(transformer: try SampleSessions.session("induction-2l").model.transformer,
                                      tokens: tokens, metric: metric)
        let zero = try XCTUnwrap(try sweep.heads(.zero).effects.first { $0.layer == 1 && $0.index == 3 })
        let mean = try XCTUnwrap(try sweep.heads(.mean).effects.first { $0.layer == 1 && $0.index == 3 })
        XCTAssertGreaterThan(abs(zero.logitDiffChange), 0.01, "L1H3 matters on this prompt")

        x.command("head L1H3")
        x.press(.char("x"))
        XCTAssertEqual(x.state.ablations, [Ablation(.head(layer: 1, head: 3), .zero)])
        XCTAssertEqual(x.state.run?.ablations, x.state.ablations)
        XCTAssertTrue(x.screen.components(separatedBy: "\n")[0].contains(String(format: "ablated ×1 Δdiff %+.3f", zero.logitDiffChange)),
                      x.screen)
        try assertShown(x, matches: zero, "zero-ablate L1H3")

        x.command("head L1H3")
        x.press(.char("X"))
        XCTAssertEqual(x.state.ablations, [Ablation(.head(layer: 1, head: 3), .mean)])
        try assertShown(x, matches: mean, "mean-ablate L1H3")
    }

    func testAblatingANeuronOnModAddMatchesAblateJSON() throws {
        let (x, metric, tokens) = try explorer("modadd-1l", "12 45 =")
        let sweep = try AblationSweep(transformer: try SampleSessions.session("modadd-1l").model.transformer,
                                      tokens: tokens, metric: metric)
        let strongest = try XCTUnwrap(try sweep.neurons(layer: 0, .zero).strongest(1).first)
        x.command("neuron L0N\(strongest.index)")
        x.press(.char("x"))
        XCTAssertEqual(x.state.ablations, [Ablation(.neuron(layer: 0, neuron: strongest.index), .zero)])
        try assertShown(x, matches: strongest, "zero-ablate L0N\(strongest.index)")

        let mean = try XCTUnwrap(try sweep.neurons(layer: 0, .mean, indices: [strongest.index]).effects.first)
        x.command("neuron L0N\(strongest.index)")
        x.press(.char("X"))
        try assertShown(x, matches: mean, "mean-ablate L0N\(strongest.index)")
    }

    func testTheAblationsPageTogglesAndClears() throws {
        let (x, _, _) = try explorer("induction-2l", SampleSessions.inductionPrompt)
        let cleanTop = x.state.run?.topNext.first?.probability
        x.press(.char("a"))                                // atlas cursor starts at L0H0
        x.press(.char("x"))
        x.command("head L1H3")
        x.press(.char("X"))
        XCTAssertEqual(x.state.ablations, [Ablation(.head(layer: 0, head: 0), .zero), Ablation(.head(layer: 1, head: 3), .mean)])
        x.press(.char("A"))
        XCTAssertEqual(x.state.page, .ablations)
        XCTAssertTrue(x.mainText.contains("[on]  zero-ablate L0H0"), x.mainText)
        XCTAssertTrue(x.mainText.contains("[on]  mean-ablate L1H3"), x.mainText)
        x.press(.char("j"), .enter)                        // turn L1H3 off: the run has L0H0 only
        XCTAssertTrue(x.mainText.contains("[off] mean-ablate L1H3"), x.mainText)
        XCTAssertEqual(x.state.run?.ablations, [Ablation(.head(layer: 0, head: 0), .zero)])
        x.press(.char("c"))
        XCTAssertEqual(x.state.ablations, [])
        XCTAssertEqual(x.state.run?.ablations, [])
        XCTAssertNil(x.state.run?.clean)
        XCTAssertEqual(x.state.run?.topNext.first?.probability, cleanTop, "clearing returns to the clean run, bit for bit")
        XCTAssertFalse(x.screen.contains("ablated ×"), x.screen)
    }

    func testAblationKeysAreInTheKeymapAndStaleRunsAreDropped() throws {
        let keymap = Keymap.standard
        for context in [KeyContext.atlas, .layer, .head, .neurons, .neuron] {
            XCTAssertEqual(keymap.action(for: .char("x"), in: context), .zeroAblate, "\(context)")
            XCTAssertEqual(keymap.action(for: .char("X"), in: context), .meanAblate, "\(context)")
        }
        XCTAssertEqual(keymap.action(for: .char("A"), in: .lens), .show(.ablations))
        XCTAssertEqual(keymap.action(for: .char("c"), in: .ablations), .clearAblations)
        XCTAssertEqual(ExplorerCommand.parse("ablations"), .success(.page(.ablations)))
        XCTAssertEqual(ExplorerCommand.parse("ablations clear"), .success(.clearAblations))

        // Two quick ablations: the first run's result arrives after the second was asked for and is dropped.
        var core = Explorer(state: .test(layers: 2, heads: 4))
        _ = core.start()
        let first = core.perform(.zeroAblate)
        XCTAssertTrue(first.contains(.runPrompt(generation: 2, prompt: core.state.prompt, prependBOS: core.state.prependBOS,
                                                ablations: [Ablation(.head(layer: 0, head: 0), .zero)])), "\(first)")
        let second = core.perform(.zeroAblate)              // the same key again removes it
        XCTAssertTrue(second.contains(.runPrompt(generation: 3, prompt: core.state.prompt, prependBOS: core.state.prependBOS,
                                                 ablations: [])), "\(second)")
        XCTAssertEqual(core.receive(.ran(generation: 2, .failure(ComputeFailure("late", cancelled: false)))), [])
        XCTAssertNil(core.state.runError)
        // Pages with no head or neuron under the cursor say so and run nothing.
        _ = core.go(to: .lens)
        let none = core.perform(.zeroAblate)
        XCTAssertFalse(none.contains { if case .runPrompt = $0 { return true } else { return false } }, "\(none)")
        XCTAssertEqual(core.state.message?.isError, true)
        XCTAssertEqual(core.state.generation, 3)
    }

    /// On the neuron list, x ablates the neuron on the cursor's row (the top-ranked one at first).
    func testNeuronListAblatesTheRowUnderTheCursor() throws {
        let (x, _, _) = try explorer("modadd-1l", "12 45 =")
        x.command("neurons 0")
        let top = try XCTUnwrap(NeuronListView.ranked(x.state)?.first?.neuron)
        x.press(.char("x"))
        XCTAssertEqual(x.state.ablations, [Ablation(.neuron(layer: 0, neuron: top), .zero)])
        XCTAssertEqual(x.state.run?.ablations, x.state.ablations)
    }
}

/// `:ablate` from anywhere, and the lens and attribution pages on the ablated run: the logit
/// difference they add up to is the ablated one `mechscope ablate --json` reports.
final class AblationEverywhereTests: XCTestCase {
    func testAblateCommandAndTheLensAndAttributionPagesUseTheAblatedRun() throws {
        let session = try SampleSessions.session("induction-2l")
        let x = HeadlessExplorer(session: session, prompt: SampleSessions.inductionPrompt, width: 140, height: 40)
        let run = try XCTUnwrap(x.state.run)
        let metric = LogitDiffMetric(answer: run.topNext[0].tokenID, wrong: run.topNext[1].tokenID)
        x.command("answer #\(metric.answer)")
        x.command("wrong #\(metric.wrong)")
        let sweep = try AblationSweep(transformer: session.model.transformer, tokens: run.tokens, metric: metric)
        let zero = try XCTUnwrap(try sweep.heads(.zero).effects.first { $0.layer == 1 && $0.index == 3 })
        let mean = try XCTUnwrap(try sweep.heads(.mean).effects.first { $0.layer == 1 && $0.index == 3 })

        x.command("dla")
        let cleanLogit = try XCTUnwrap(AttributionView.value(x.state)?.logit)
        XCTAssertEqual(cleanLogit, sweep.baselineLogitDiff, accuracy: 1e-4)
        XCTAssertFalse(x.mainText.contains("ABLATED"))
        x.command("ablate L1H3")
        XCTAssertEqual(x.state.ablations, [Ablation(.head(layer: 1, head: 3), .zero)])
        XCTAssertEqual(x.state.page, .attribution, "the page stays")
        XCTAssertTrue(x.mainText.components(separatedBy: "\n")[0].contains("ABLATED zero-ablate L1H3"), x.mainText)
        let (result, logit) = try XCTUnwrap(AttributionView.value(x.state))
        XCTAssertEqual(logit, zero.logitDiff, accuracy: 1e-4, "the ablated logit difference of ablate --json")
        XCTAssertEqual(result.total() + result.direction.bias, logit, accuracy: 1e-3)
        XCTAssertTrue(x.mainText.contains("logit difference \(NumberText.signed(zero.logitDiff))"), x.mainText)

        x.command("ablate l1h3 mean")
        XCTAssertEqual(x.state.ablations, [Ablation(.head(layer: 1, head: 3), .mean)])
        XCTAssertEqual(try XCTUnwrap(AttributionView.value(x.state)).logit, mean.logitDiff, accuracy: 1e-4)

        x.command("lens")
        XCTAssertTrue(x.mainText.components(separatedBy: "\n")[0].contains("ABLATED mean-ablate L1H3"), x.mainText)
        let ablated = try XCTUnwrap(x.state.run)
        XCTAssertEqual(ablated.ablations, [Ablation(.head(layer: 1, head: 3), .mean)])
        let final = try XCTUnwrap(LogitLensView.cursorReading(x.state), "the lens's final row at the last position")
        XCTAssertEqual(final.top.first?.tokenID, ablated.topNext.first?.tokenID)
        XCTAssertEqual(Double(final.top[0].probability), Double(ablated.topNext[0].probability), accuracy: 1e-5)
        let logits = try XCTUnwrap(ablated.result.lastLogits)
        XCTAssertEqual(logits[metric.answer] - logits[metric.wrong], mean.logitDiff, accuracy: 1e-4)

        x.command("ablate L0N3")
        XCTAssertEqual(x.state.message?.text, ":ablate L0N3: induction-2l is attention-only: it has no MLP neurons")
        x.command("ablate L5H0")
        XCTAssertEqual(x.state.message?.text, ":ablate L5H0: layer 5 does not exist (layers 0–1)")
        x.command("ablate L1H3 half")
        XCTAssertEqual(x.state.message?.text, ":ablate 'half': expected zero or mean")
        XCTAssertEqual(x.state.ablations.count, 1)
        XCTAssertEqual(ExplorerCommand.parse("ablate L0N12 mean"), .success(.ablate(.neuron(layer: 0, neuron: 12), .mean)))
    }

    func testAblateANeuronByCommandOnModAddMatchesAblateJSON() throws {
        let session = try SampleSessions.session("modadd-1l")
        let x = HeadlessExplorer(session: session, prompt: "12 45 =", width: 120, height: 40)
        let run = try XCTUnwrap(x.state.run)
        let metric = LogitDiffMetric(answer: run.topNext[0].tokenID, wrong: run.topNext[1].tokenID)
        x.command("answer #\(metric.answer)")
        x.command("wrong #\(metric.wrong)")
        let sweep = try AblationSweep(transformer: session.model.transformer, tokens: run.tokens, metric: metric)
        let strongest = try XCTUnwrap(try sweep.neurons(layer: 0, .zero).strongest(1).first)
        x.command("dla")
        x.command("ablate L0N\(strongest.index)")
        XCTAssertEqual(x.state.ablations, [Ablation(.neuron(layer: 0, neuron: strongest.index), .zero)])
        XCTAssertEqual(try XCTUnwrap(AttributionView.value(x.state)).logit, strongest.logitDiff, accuracy: 1e-4)
        XCTAssertTrue(x.mainText.contains("ABLATED zero-ablate L0N\(strongest.index)"), x.mainText)
    }
}

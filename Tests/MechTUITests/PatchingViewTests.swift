import Foundation
import MechAnalysis
import MechModels
import XCTest
@testable import MechTUI

/// The two-prompt workflow headless: the corrupted prompt, the patching page's grids against
/// `PatchingSweep` called exactly as `mechscope patch` calls it, the grid filling in cell by cell,
/// and cancellation when the page is left or the prompt changes.
final class PatchingViewTests: XCTestCase {
    static let clean = "glorp snib wuzzle frang tokamak brill. glorp snib"
    static let corrupted = "glorp snib frang wuzzle tokamak brill. glorp snib"

    /// The explorer on induction-2l with both prompts, answer ' w' and wrong ' f'.
    private func explorer(width: Int = 120, height: Int = 40) throws -> HeadlessExplorer {
        let x = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: Self.clean, width: width, height: height)
        x.command("corrupt " + Self.corrupted)
        x.command("answer \" w\"")
        x.command("wrong \" f\"")
        return x
    }

    /// The grids as `mechscope patch --json` computes them: the CLI's tokens (BOS first, as
    /// --prepend-bos) and its call of `PatchingSweep.run`.
    private func cliGrids(_ targets: [PatchingTarget]) throws -> [PatchingGrid] {
        let model = try SampleSessions.session("induction-2l").model
        let clean = try model.tokenize(Self.clean, bos: .prepend)
        let corrupted = try model.tokenize(Self.corrupted, bos: .prepend)
        let metric = LogitDiffMetric(answer: try TokenReference.resolve(" w", in: model), wrong: try TokenReference.resolve(" f", in: model))
        let sweep = try PatchingSweep(transformer: model.transformer, clean: clean, corrupted: corrupted, metric: metric,
                                      direction: .denoising)
        return try sweep.run(targets)
    }

    func testEveryGridEqualsPatchJSONAndTheCursorShowsItsValue() throws {
        let x = try explorer()
        XCTAssertNotNil(x.state.corruptedRun)
        XCTAssertNil(x.state.lengthMismatch)
        let targets: [PatchingTarget] = [.residPre, .attnOut, .heads]
        XCTAssertEqual(PatchingView.targets(x.state), targets, "induction-2l is attention-only: no mlp_out")
        let reference = try cliGrids(targets)
        XCTAssertEqual(reference.count, 3)
        var checked = 0
        for grid in reference {
            x.command("patch \(grid.target.rawValue)")
            XCTAssertEqual(x.state.page, .patching)
            let cells = try XCTUnwrap(PatchingView.cells(x.state), x.screen)
            XCTAssertTrue(cells.isComplete)
            XCTAssertEqual(cells.layers, grid.layers)
            XCTAssertEqual(cells.columns, grid.columns, "\(grid.target)")
            XCTAssertEqual(cells.cleanLogitDiff, grid.cleanLogitDiff, accuracy: 1e-5)
            XCTAssertEqual(cells.corruptedLogitDiff, grid.corruptedLogitDiff, accuracy: 1e-5)
            for l in 0..<grid.layers {
                for c in 0..<grid.columns {
                    XCTAssertEqual(cells.normalized(layer: l, column: c), grid.normalized(layer: l, column: c), accuracy: 1e-5,
                                   "\(grid.target) L\(l) col \(c)")
                    checked += 1
                }
            }
            // The cursor cell's value on screen: the strongest cell of the grid.
            var best = (0, 0)
            for l in 0..<grid.layers {
                for c in 0..<grid.columns where abs(grid.normalized(layer: l, column: c)) > abs(grid.normalized(layer: best.0, column: best.1)) {
                    best = (l, c)
                }
            }
            x.press(.char("g"))
            for _ in 0..<best.0 { x.press(.char("j")) }
            for _ in 0..<grid.columns { x.press(.char("h")) }
            for _ in 0..<best.1 { x.press(.char("l")) }
            let value = try XCTUnwrap(x.mainText.components(separatedBy: "\n").first { $0.hasPrefix("value ") }, x.mainText)
            let shown = try XCTUnwrap(Double(value.dropFirst("value ".count).prefix { $0 != " " }), value)
            XCTAssertEqual(shown, Double(grid.normalized(layer: best.0, column: best.1)), accuracy: 1e-4, "\(grid.target) cursor")
            let name = grid.target == .heads ? "cursor heads L\(best.0)H\(best.1)" : "cursor \(grid.target.rawValue) L\(best.0) pos \(best.1)"
            XCTAssertTrue(x.mainText.contains(name), "\(name)\n\(x.mainText)")
        }
        XCTAssertEqual(checked, 2 * 31 + 2 * 31 + 2 * 4, "every cell of the three grids")
        // The resid_pre grid's strongest cell is the first differing token at layer 0 (restores the clean answer).
        XCTAssertGreaterThan(reference[0].normalized(layer: 0, column: 8), 0.9)
    }

    /// modadd-1l has an MLP: its mlp_out grid (and the others) equal the CLI's too.
    func testTheMLPGridOnModAddEqualsPatchJSON() throws {
        let session = try SampleSessions.session("modadd-1l")
        let x = HeadlessExplorer(session: session, prompt: "12 45 =", width: 120, height: 40)
        x.command("corrupt 12 46 =")
        let clean = try XCTUnwrap(x.state.run), corrupted = try XCTUnwrap(x.state.corruptedRun)
        let answer = clean.topNext[0].tokenID
        let wrong = try XCTUnwrap(corrupted.topNext.first { $0.tokenID != answer }?.tokenID)
        x.command("answer #\(answer)")
        x.command("wrong #\(wrong)")
        XCTAssertEqual(PatchingView.targets(x.state), PatchingTarget.allCases)
        let sweep = try PatchingSweep(transformer: session.model.transformer, clean: clean.tokens, corrupted: corrupted.tokens,
                                      metric: LogitDiffMetric(answer: answer, wrong: wrong))
        var checked = 0
        for grid in try sweep.run(PatchingTarget.allCases) {
            x.command("patch \(grid.target.rawValue)")
            let cells = try XCTUnwrap(PatchingView.cells(x.state), x.screen)
            XCTAssertEqual(cells.patchedLogitDiffs.count, grid.patchedLogitDiffs.count)
            for l in 0..<grid.layers {
                for c in 0..<grid.columns {
                    XCTAssertEqual(cells.normalized(layer: l, column: c), grid.normalized(layer: l, column: c), accuracy: 1e-5)
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 3 * clean.count + session.config.nHeads)
    }

    func testEnterOpensTheHeadOrTheLayerAndSCyclesTheGrids() throws {
        let x = try explorer()
        x.command("patch heads")
        x.press(.char("j"), .char("l"), .char("l"), .char("l"), .enter)
        XCTAssertEqual(x.state.page, .head(layer: 1, head: 3))
        x.press(.escape)
        XCTAssertEqual(x.state.page, .patching)
        x.press(.char("s"))
        XCTAssertEqual(x.state.patchingPage.target, .residPre, "heads → resid_pre (no mlp_out on an attention-only model)")
        x.press(.char("s"))
        XCTAssertEqual(x.state.patchingPage.target, .attnOut)
        x.press(.enter)
        XCTAssertEqual(x.state.page, .layer(1))
        XCTAssertEqual(Keymap.standard.action(for: .char("C"), in: .atlas), .show(.patching))
        XCTAssertEqual(Keymap.standard.action(for: .char("P"), in: .lens), .editCorruptedPrompt)
        XCTAssertTrue(NavigatorState(model: x.state.model).rows.contains(.patching))
    }

    /// The runner hands back the grid after every cell; the core draws each partial grid and the
    /// status line counts the cells.
    func testTheGridFillsInCellByCellWithProgressInTheStatusLine() throws {
        let x = try explorer()
        var core = x.runtime.explorer
        _ = core.runCommand("patch resid_pre")
        let effects = core.requestsForVisible()
        guard case .compute(let request, let generation)? = effects.first(where: { if case .compute = $0 { return true } else { return false } }),
              case .patching = request else { return XCTFail("no patching request: \(effects)") }
        XCTAssertTrue(core.state.results.isPending(request))
        var partials: [AnalysisValue] = []
        let runner = AnalysisRunner(session: try SampleSessions.session("induction-2l"))
        let final = try runner.compute(request, on: try XCTUnwrap(core.state.run), shouldContinue: { true },
                                       progress: { partials.append($0) })
        XCTAssertEqual(partials.count, 2 * 31 + 1, "an empty grid, then one per cell")
        var renderer = ExplorerRenderer(width: 120, height: 40, palette: Palette(depth: .palette256))
        for (i, partial) in partials.enumerated() {
            guard case .patching(let cells) = partial else { return XCTFail("not a patching value") }
            XCTAssertEqual(cells.filled, i)
            if i == 37 {
                _ = core.receive(.progress(request, generation: generation, partial))
                renderer.render(core.state)
                let status = renderer.grid.text.components(separatedBy: "\n").last ?? ""
                XCTAssertTrue(status.contains("patching resid_pre 37/62"), status)
                XCTAssertTrue(renderer.mainText(core.state).contains("37/62 cells…"), renderer.mainText(core.state))
                XCTAssertEqual(PatchingView.cells(core.state)?.filled, 37)
            }
        }
        _ = core.receive(.finished(request, generation: generation, .success(final), milliseconds: 1))
        XCTAssertEqual(PatchingView.cells(core.state)?.isComplete, true)
        XCTAssertFalse(core.state.results.isPending(request))
    }

    func testLeavingThePageOrANewPromptCancelsAndLateCellsAreDropped() throws {
        let x = try explorer()
        var core = x.runtime.explorer
        _ = core.runCommand("patch attn_out")
        let request = try XCTUnwrap(PatchingView.request(core.state))
        _ = core.requestsForVisible()
        XCTAssertTrue(core.state.results.isPending(request))
        let leave = core.go(to: .atlas) + core.requestsForVisible()
        XCTAssertTrue(leave.contains(.cancel(request)), "\(leave)")
        XCTAssertFalse(core.state.results.isPending(request))
        let partial = PatchingCells(target: .attnOut, layers: 2, columns: 31, cleanLogitDiff: 1, corruptedLogitDiff: 0)
        _ = core.receive(.progress(request, generation: core.state.generation, .patching(partial)))
        XCTAssertNil(core.state.results[request], "a cancelled grid's late cells are dropped")
        // A new prompt: the old generation's cells are dropped too.
        _ = core.go(to: .patching)
        _ = core.requestsForVisible()
        let old = core.state.generation
        _ = core.submitPrompt("glorp snib wuzzle frang tokamak brill. glorp", prependBOS: true)
        XCTAssertEqual(core.receive(.progress(request, generation: old, .patching(partial))), [])

        // The threaded worker stops a cancelled grid and reports it cancelled.
        let worker = ThreadedComputeWorker(runner: AnalysisRunner(session: try SampleSessions.session("induction-2l")))
        worker.compute(request, generation: 0, on: try XCTUnwrap(x.state.run))
        worker.cancel(request)
        var outputs: [ComputeOutput] = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            outputs += worker.drain()
            if outputs.contains(where: { if case .finished = $0 { return true } else { return false } }) { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        guard case .finished(_, _, .failure(let failure), _)? = outputs.last else { return XCTFail("\(outputs)") }
        XCTAssertTrue(failure.cancelled)
    }

    func testTheCorruptedPromptEditorTitleAndLengthWarning() throws {
        let x = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: Self.clean, width: 160, height: 40)
        x.command("patch")
        XCTAssertTrue(x.mainText.contains("no corrupted prompt: P edits one"), x.mainText)
        x.press(.char("P"))
        XCTAssertTrue(x.mainText.contains("Edit the corrupted prompt"), x.mainText)
        x.press(.ctrl("u"))
        x.type("glorp snib frang wuzzle tokamak brill. glorp")     // two tokens short
        x.press(.enter)
        XCTAssertEqual(x.state.corruptedPrompt, "glorp snib frang wuzzle tokamak brill. glorp")
        XCTAssertEqual(x.state.prompt, Self.clean, "the clean prompt is unchanged")
        let title = x.screen.components(separatedBy: "\n")[0]
        XCTAssertTrue(title.contains("⚠ 31≠27 tok"), title)
        XCTAssertTrue(title.contains("\"glorp snib wuzzle frang toka") && title.contains(" ⇄ \"glorp snib frang wuzzle"), title)
        XCTAssertTrue(x.mainText.contains("the clean prompt is 31 tokens and the corrupted prompt 27: patching needs prompts of the same length"),
                      x.mainText)
        XCTAssertTrue(x.state.results.pending.isEmpty, "nothing is computed for prompts of different lengths")
        x.command("corrupt " + Self.corrupted)
        x.command("wrong \" f\"")
        XCTAssertFalse(x.screen.components(separatedBy: "\n")[0].contains("⚠"))
        XCTAssertNotNil(PatchingView.cells(x.state))
        // Esc leaves the corrupted prompt as it was; with ablations on, the page says they are not applied.
        x.press(.char("P"), .ctrl("u"))
        x.type("something else")
        x.press(.escape)
        XCTAssertEqual(x.state.corruptedPrompt, Self.corrupted)
        x.command("ablate L1H3")
        XCTAssertTrue(x.mainText.contains("the ablations are not applied here"), x.mainText)
        x.command("ablations clear")
        x.command("corrupt")
        XCTAssertNil(x.state.corruptedPrompt)
        XCTAssertNil(PatchingView.request(x.state))
        XCTAssertEqual(ExplorerCommand.parse("patch heads"), .success(.patch(.heads)))
        XCTAssertEqual(ExplorerCommand.parse("patch x"),
                       .failure(.badArgument(command: "patch", argument: "x", expected: "resid_pre, attn_out, mlp_out or heads")))
    }
}

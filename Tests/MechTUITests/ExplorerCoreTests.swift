import XCTest
@testable import MechTUI

/// The pure core: keys in, state and effects out, with no terminal and no model.
final class ExplorerCoreTests: XCTestCase {
    private func started(_ state: ExplorerState = .test()) -> (Explorer, [Effect]) {
        var explorer = Explorer(state: state)
        let effects = explorer.start()
        return (explorer, effects)
    }

    func testStartRunsThePromptAsGenerationOne() {
        let (explorer, effects) = started()
        XCTAssertTrue(effects.contains(.runPrompt(generation: 1, prompt: "hello", prependBOS: false, ablations: [])))
        XCTAssertEqual(explorer.state.generation, 1)
        XCTAssertTrue(explorer.state.runPending)
    }

    func testCountsRepeatMovementAndClamp() {
        var (explorer, _) = started(.test(layers: 12, heads: 12))
        _ = explorer.handle(.key(.char("5")))
        XCTAssertEqual(explorer.state.count, 5)
        _ = explorer.handle(.key(.char("j")))
        XCTAssertEqual(explorer.state.atlas.layer, 5)
        XCTAssertNil(explorer.state.count)
        for k in "20l" { _ = explorer.handle(.key(.char(k))) }
        XCTAssertEqual(explorer.state.atlas.head, 11, "20l clamps to the last head")
        _ = explorer.handle(.key(.char("G")))
        XCTAssertEqual(explorer.state.atlas.layer, 11)
        _ = explorer.handle(.key(.char("g")))
        XCTAssertEqual(explorer.state.atlas.layer, 0)
    }

    func testEnterOpensTheHeadAndTheJumpListComesBack() {
        var (explorer, _) = started()
        for k in "jll" { _ = explorer.handle(.key(.char(k))) }
        _ = explorer.handle(.key(.enter))
        XCTAssertEqual(explorer.state.page, .head(layer: 1, head: 2))
        _ = explorer.handle(.key(.char("t")))
        XCTAssertEqual(explorer.state.page, .logits)
        _ = explorer.handle(.key(.ctrl("o")))
        XCTAssertEqual(explorer.state.page, .head(layer: 1, head: 2))
        _ = explorer.handle(.key(.escape))
        XCTAssertEqual(explorer.state.page, .atlas)
        _ = explorer.handle(.key(.escape))
        XCTAssertEqual(explorer.state.message?.text, "the jump list is empty")
    }

    func testCommandsNavigateAndReportErrorsInOneLine() {
        var (explorer, _) = started()
        _ = explorer.runCommand("head L1H3")
        XCTAssertEqual(explorer.state.page, .head(layer: 1, head: 3))
        _ = explorer.runCommand("head 1.9")
        XCTAssertEqual(explorer.state.message, StatusMessage("head 9 does not exist (heads 0–3)", isError: true))
        XCTAssertEqual(explorer.state.page, .head(layer: 1, head: 3), "a bad command leaves the view alone")
        _ = explorer.runCommand("neuron L0N5")
        XCTAssertEqual(explorer.state.message?.text, "test is attention-only: it has no MLP neurons")
        _ = explorer.runCommand("layer 7")
        XCTAssertEqual(explorer.state.message?.text, "layer 7 does not exist (layers 0–1)")
        _ = explorer.runCommand("metric prev")
        XCTAssertEqual(explorer.state.metric, .previousToken)
        XCTAssertEqual(explorer.state.page, .atlas)
        _ = explorer.runCommand("frobnicate")
        XCTAssertEqual(explorer.state.message?.text, "unknown command ':frobnicate' (:help lists the commands)")
        _ = explorer.runCommand("he")
        XCTAssertEqual(explorer.state.message?.text, "unknown command ':he' (did you mean :head?)")
        XCTAssertEqual(explorer.runCommand("export /tmp/x.txt"), [.export(path: "/tmp/x.txt")])
        XCTAssertEqual(explorer.runCommand("q"), [.quit])
    }

    func testAnswerAndWrongResolveThroughTheVocabulary() {
        var (explorer, _) = started()
        _ = explorer.runCommand("answer #7")
        XCTAssertEqual(explorer.state.answer, 7)
        _ = explorer.runCommand("wrong #7")
        XCTAssertEqual(explorer.state.message?.isError, true, "wrong must differ from the answer")
        _ = explorer.runCommand("wrong #9")
        XCTAssertEqual(explorer.state.wrong, 9)
        _ = explorer.runCommand("answer Paris")
        XCTAssertEqual(explorer.state.message?.text, ":answer 'Paris' is not one token")
        _ = explorer.runCommand("wrong none")
        XCTAssertNil(explorer.state.wrong)
    }

    func testCommandLineEditingHistoryAndCompletion() {
        var (explorer, _) = started()
        for k in ":me" { _ = explorer.handle(.key(.char(k))) }
        _ = explorer.handle(.key(.tab))
        guard case .command(let editor) = explorer.state.mode else { return XCTFail("not in the command line") }
        XCTAssertEqual(editor.text, "metric ")
        for k in "ov" { _ = explorer.handle(.key(.char(k))) }
        _ = explorer.handle(.key(.tab))
        guard case .command(let completed) = explorer.state.mode else { return XCTFail("left the command line") }
        XCTAssertEqual(completed.text, "metric ov-copying ")
        _ = explorer.handle(.key(.enter))
        XCTAssertEqual(explorer.state.metric, .ovCopying)
        XCTAssertEqual(explorer.state.mode, .normal)
        _ = explorer.handle(.key(.char(":")))
        _ = explorer.handle(.key(.up))
        guard case .command(let recalled) = explorer.state.mode else { return XCTFail("left the command line") }
        XCTAssertEqual(recalled.text, "metric ov-copying ")
        _ = explorer.handle(.key(.escape))
        XCTAssertEqual(explorer.state.mode, .normal)
    }

    func testPromptEditRunsANewGenerationAndEscKeepsTheOldPrompt() {
        var (explorer, _) = started()
        _ = explorer.handle(.key(.char("p")))
        _ = explorer.handle(.key(.ctrl("u")))
        for k in "héllo 🙂" { _ = explorer.handle(.key(.char(k))) }
        let effects = explorer.handle(.key(.enter))
        XCTAssertTrue(effects.contains(.runPrompt(generation: 2, prompt: "héllo 🙂", prependBOS: false, ablations: [])))
        XCTAssertEqual(explorer.state.prompt, "héllo 🙂")
        _ = explorer.handle(.key(.char("p")))
        _ = explorer.handle(.key(.char("x")))
        _ = explorer.handle(.key(.escape))
        XCTAssertEqual(explorer.state.prompt, "héllo 🙂")
        XCTAssertEqual(explorer.state.generation, 2)
        _ = explorer.handle(.key(.char("B")))
        XCTAssertEqual(explorer.state.generation, 3)
        XCTAssertTrue(explorer.state.prependBOS)
    }

    func testResultsOfAnOlderPromptAreDropped() {
        var (explorer, _) = started()
        _ = explorer.runCommand("prompt second")
        XCTAssertEqual(explorer.state.generation, 2)
        let stale = ComputeOutput.ran(generation: 1, .failure(ComputeFailure("old run failed")))
        XCTAssertEqual(explorer.receive(stale), [])
        XCTAssertNil(explorer.state.runError)
        let current = ComputeOutput.ran(generation: 2, .failure(ComputeFailure("prompt too long")))
        _ = explorer.receive(current)
        XCTAssertEqual(explorer.state.runError, "prompt too long")
        XCTAssertEqual(explorer.state.message?.isError, true)
    }

    func testNavigatorTreeExpandsAndPreviews() {
        var (explorer, _) = started()
        _ = explorer.handle(.key(.tab))
        XCTAssertEqual(explorer.state.focus, .navigator)
        _ = explorer.handle(.key(.char("j")))
        XCTAssertEqual(explorer.state.page, .embed, "moving in the navigator previews the row")
        _ = explorer.handle(.key(.char("j")))
        _ = explorer.handle(.key(.char("l")))
        XCTAssertEqual(explorer.state.navigator.rows[3], .attention(0))
        for k in "jjj" { _ = explorer.handle(.key(.char(k))) }
        XCTAssertEqual(explorer.state.page, .head(layer: 0, head: 1))
        _ = explorer.handle(.key(.char("h")))
        XCTAssertEqual(explorer.state.navigator.currentRow, .layer(0))
        XCTAssertFalse(explorer.state.navigator.expanded.contains(0))
        _ = explorer.handle(.key(.enter))
        XCTAssertTrue(explorer.state.navigator.expanded.contains(0), "Enter on a layer expands it")
    }

    /// A page opened from the navigator is recorded like one opened by keys or commands: Esc and
    /// Ctrl-o return to the page open before the navigator previewed rows, never to a preview.
    func testOpeningFromTheNavigatorRecordsTheJumpList() {
        var (explorer, _) = started()
        _ = explorer.handle(.key(.tab))
        for k in "jjljj" { _ = explorer.handle(.key(.char(k))) }
        _ = explorer.handle(.key(.enter))
        XCTAssertEqual(explorer.state.page, .head(layer: 0, head: 0))
        XCTAssertEqual(explorer.state.focus, .main)
        XCTAssertEqual(explorer.state.jumpList, [.atlas], "the previews (embed, layer 0) are not recorded")
        _ = explorer.handle(.key(.escape))
        XCTAssertEqual(explorer.state.page, .atlas)
        _ = explorer.handle(.key(.ctrl("o")))
        XCTAssertEqual(explorer.state.message?.text, "the jump list is empty")

        // Leaving the navigator on a previewed page keeps it open, recorded the same way.
        _ = explorer.runCommand("lens")
        _ = explorer.handle(.key(.tab))
        _ = explorer.handle(.key(.char("g")))
        XCTAssertEqual(explorer.state.page, .atlas, "previewed")
        _ = explorer.handle(.key(.tab))
        XCTAssertEqual(explorer.state.focus, .main)
        XCTAssertEqual(explorer.state.jumpList, [.atlas, .lens])
        _ = explorer.handle(.key(.ctrl("o")))
        XCTAssertEqual(explorer.state.page, .lens)
    }

    /// The title shows a prompt's tab and newline as the tokens show them (`\t`, `\n`), never as "?".
    func testTitleSpellsOutTabsAndNewlinesInThePrompt() {
        var state = ExplorerState.test()
        state.prompt = "a\tb\nc"
        for corrupted in [nil, "x\ty"] {
            state.corruptedPrompt = corrupted
            var renderer = ExplorerRenderer(width: 100, height: 30, palette: Palette(depth: .monochrome))
            renderer.render(state)
            let title = renderer.grid.text(in: state.layout.title)
            XCTAssertTrue(title.contains("\"a\\tb\\nc\""), title)
            XCTAssertFalse(title.contains("?"), title)
            if corrupted != nil { XCTAssertTrue(title.contains("\"x\\ty\""), title) }
        }
    }

    /// What Tab leaves on the command line after `text`, and what it lists in the status line.
    private func tab(_ explorer: inout Explorer, _ text: String) -> (line: String, listed: String?) {
        _ = explorer.handle(.key(.char(":")))
        for c in text { _ = explorer.handle(.key(.char(c))) }
        _ = explorer.handle(.key(.tab))
        defer { _ = explorer.handle(.key(.escape)) }
        guard case .command(let editor) = explorer.state.mode else { return ("left the command line", nil) }
        return (editor.text, explorer.state.message?.text)
    }

    /// Tab completes head and neuron names from the model's shape, a layer's stem first.
    func testTabCompletesHeadAndNeuronNames() {
        var (explorer, _) = started(.test(layers: 12, heads: 4, dMLP: 3072))
        XCTAssertEqual(tab(&explorer, "head ").line, "head L")
        XCTAssertEqual(tab(&explorer, "head L1").listed, "head L1H  head L10H  head L11H")
        XCTAssertEqual(tab(&explorer, "head L5").line, "head L5H")
        XCTAssertEqual(tab(&explorer, "head L5H").listed, "head L5H0  head L5H1  head L5H2  head L5H3")
        XCTAssertEqual(tab(&explorer, "head l11h2").line, "head L11H2 ")
        XCTAssertEqual(tab(&explorer, "head L12").line, "head L12", "no layer 12")
        XCTAssertEqual(tab(&explorer, "neuron L3N307").listed, "neuron L3N307  neuron L3N3070  neuron L3N3071")
        XCTAssertEqual(tab(&explorer, "neuron L3N3071").line, "neuron L3N3071 ")
        XCTAssertEqual(tab(&explorer, "neuron L0N3072").line, "neuron L0N3072", "no neuron 3072")

        var (one, _) = started(.test(layers: 1, heads: 2))
        XCTAssertEqual(tab(&one, "head ").line, "head L0H", "one layer: its heads at once")
        XCTAssertEqual(tab(&one, "head L0H").listed, "head L0H0  head L0H1")
        XCTAssertEqual(tab(&one, "neuron ").line, "neuron ", "attention-only: no neurons offered")
    }

    func testResizeBelowTheMinimumShowsANotice() {
        var renderer = ExplorerRenderer(width: 40, height: 10, palette: Palette(depth: .monochrome))
        var (explorer, _) = started()
        _ = explorer.handle(.resize(width: 40, height: 10))
        renderer.render(explorer.state)
        XCTAssertTrue(renderer.grid.text.contains("terminal too small: 40×10"))
        XCTAssertTrue(renderer.grid.text.contains("at least 50×12"))
    }

    /// While a new prompt computes, the old view stays on screen and so does the title that describes it:
    /// the old prompt with its own token count and BOS, never the new prompt beside the old count.
    func testTitleDescribesTheRunOnScreenWhileANewPromptComputes() throws {
        let e = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: SampleSessions.inductionPrompt,
                                 width: 120, height: 30, depth: .monochrome)
        let count = try XCTUnwrap(e.state.run?.count)
        var state = e.state
        state.prompt = "a new prompt"                // what submitting it does before the run lands
        state.prependBOS.toggle()
        state.generation += 1
        XCTAssertTrue(state.runPending)
        var renderer = ExplorerRenderer(width: 120, height: 30, palette: Palette(depth: .monochrome))
        renderer.render(state)
        let title = renderer.grid.text(in: state.layout.title)
        XCTAssertTrue(title.contains("\(count) tok, BOS"), title)
        XCTAssertTrue(title.contains("\"My friend Bartholomew"), title)
        XCTAssertFalse(title.contains("a new prompt"), title)
    }

    /// A status message wins over the right-hand part of the status line: at 80 columns a long
    /// `:export` failure shows whole, and the compute time shows only where it fits beside a message.
    func testAStatusMessageIsNeverCutByTheRightHandPart() {
        var state = ExplorerState.test(width: 80, height: 24)
        state.lastCompute = (label: "induction scores", milliseconds: 12)
        let failure = "cannot export /tmp/no/such/folder/atlas.svg: No such file or directory"
        state.message = StatusMessage(failure, isError: true)
        var renderer = ExplorerRenderer(width: 80, height: 24, palette: Palette(depth: .monochrome))
        renderer.render(state)
        let status = renderer.grid.text(in: state.layout.status)
        XCTAssertTrue(status.contains(failure), status)
        state.message = StatusMessage("wrote atlas.txt")
        renderer.render(state)
        let short = renderer.grid.text(in: state.layout.status)
        XCTAssertTrue(short.contains("wrote atlas.txt") && short.contains("induction scores 12 ms"), short)
    }

    /// While the prompt runs, each tick turns the spinner in the main view as well as in the status line.
    func testTicksTurnTheSpinnerInTheMainViewWhileThePromptRuns() {
        var (explorer, _) = started()
        var renderer = ExplorerRenderer(width: 80, height: 24, palette: Palette(depth: .monochrome))
        renderer.render(explorer.state)
        let layout = explorer.state.layout
        XCTAssertTrue(renderer.grid.text(in: layout.main).contains("\(Spinner.frame(0)) running the prompt"))
        let effects = explorer.handle(.tick)
        guard case .redraw(let regions)? = effects.first else { return XCTFail("a tick redraws: \(effects)") }
        renderer.render(explorer.state, regions: regions)
        XCTAssertTrue(renderer.grid.text(in: layout.main).contains("\(Spinner.frame(1)) running the prompt"),
                      renderer.grid.text(in: layout.main))
        XCTAssertTrue(renderer.grid.text(in: layout.status).contains(Spinner.frame(1)), renderer.grid.text(in: layout.status))
    }
}

import MechAnalysis
import XCTest
@testable import MechTUI

/// The head atlas on the induction sample: the induction head must stand out at a glance.
final class HeadAtlasViewTests: XCTestCase {
    /// The brightest cell of the atlas's grid for a metric, read off the screen's colours, as "LxHy".
    private func brightestHead(_ explorer: HeadlessExplorer) -> String? {
        let grid = explorer.grid, palette = Palette(depth: .palette256)
        let top = palette.heat(1).style.background
        let m = explorer.state.model
        for l in 0..<m.layers {
            guard let row = grid.find("L\(l)  ") else { continue }
            for h in 0..<m.heads {
                guard let column = grid.find("H\(h)") else { continue }
                if grid[column.x + 1, row.y].style.background == top { return "L\(l)H\(h)" }
            }
        }
        return nil
    }

    func testInductionHeadIsTheBrightestCellUnderInductionMetrics() throws {
        let session = try SampleSessions.session("induction-2l")
        let explorer = HeadlessExplorer(session: session, prompt: SampleSessions.inductionPrompt, width: 120, height: 40)
        XCTAssertTrue(explorer.screen.contains("Head atlas — induction score"), explorer.screen)
        XCTAssertEqual(brightestHead(explorer), "L1H3")
        // The same on the repeated random sequence, and the numbers shown are the analysis's.
        explorer.command("metric induction-rand")
        XCTAssertTrue(explorer.screen.contains("induction on a repeated random sequence"))
        XCTAssertEqual(brightestHead(explorer), "L1H3")
        let repeated = try session.repeatedSequenceScores().induction
        let best = repeated.enumerated().max { $0.element < $1.element }!
        XCTAssertEqual(best.offset, 1 * 4 + 3)
        XCTAssertTrue(explorer.screen.contains("strongest: L1H3 " + String(format: "%.2f", best.element)), explorer.screen)
    }

    func testPromptScoresOnScreenEqualDetectHead() throws {
        let session = try SampleSessions.session("induction-2l")
        let explorer = HeadlessExplorer(session: session, prompt: SampleSessions.inductionPrompt, width: 120, height: 40)
        let tokens = try session.tokenize(SampleSessions.inductionPrompt, prependBOS: true)
        let scores = try HeadPatternScores.compute(session.model.transformer, tokens: tokens)
        explorer.command("metric prev")
        for l in 0..<2 {
            let row = explorer.screen.split(separator: "\n").first { $0.contains("│L\(l)  ") }!
            for h in 0..<4 {
                XCTAssertTrue(row.contains(String(format: "%.2f", scores.previousToken[l * 4 + h])), "L\(l)H\(h) in \(row)")
            }
        }
    }

    func testMetricCyclesAndOVCopyingFillsIn() throws {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"),
                                        prompt: SampleSessions.inductionPrompt, width: 120, height: 40)
        var titles: [String] = []
        for _ in HeadMetric.allCases {
            titles.append(explorer.state.metric.rawValue)
            XCTAssertFalse(explorer.screen.contains("computing…"), "\(explorer.state.metric) did not fill in")
            explorer.press(.char("m"))
        }
        XCTAssertEqual(titles, HeadMetric.allCases.map(\.rawValue))
        XCTAssertEqual(explorer.state.metric, .induction, "m cycles back to the first metric")
        explorer.press(.char("M"))
        XCTAssertEqual(explorer.state.metric, .attribution)
        XCTAssertTrue(explorer.screen.contains("answer '"), explorer.screen)
    }

    /// The atlas's cells as drawn, by "LxHy" (the columns under each head's header).
    private func atlasCells(_ explorer: HeadlessExplorer) -> [String: String] {
        let grid = explorer.grid, m = explorer.state.model
        guard let h0 = grid.find("H0"), let h1 = grid.find("H1") else { return [:] }
        let width = h1.x - h0.x
        var cells: [String: String] = [:]
        for l in 0..<m.layers {
            guard let row = grid.find("L\(l)  ") else { continue }
            for h in 0..<m.heads {
                guard let header = grid.find("H\(h)") else { continue }
                cells["L\(l)H\(h)"] = ((header.x + 2 - width)..<(header.x + 2)).map { grid[$0, row.y].text }.joined()
            }
        }
        return cells
    }

    /// NO_COLOR: every cell carries its value's shade glyph beside its number, so the induction
    /// head is the one full-shade cell at a glance (and the legend's shades are the cells').
    func testMonochromeAtlasShadesEachCellByItsValue() throws {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"),
                                        prompt: SampleSessions.inductionPrompt, width: 80, height: 24, depth: .monochrome)
        explorer.press(.char("j"))                          // the cursor off L0H0, whose brackets replace the padding
        let cells = atlasCells(explorer)
        XCTAssertEqual(cells.count, 8, explorer.screen)
        XCTAssertEqual(cells.filter { $0.value.contains("█") }.keys.sorted(), ["L1H3"], "\(cells)")
        XCTAssertTrue(try XCTUnwrap(cells["L1H3"]).hasPrefix("█"), "\(cells)")
        XCTAssertTrue(cells.values.allSatisfy { $0.contains(".") }, "the numbers stay: \(cells)")
        explorer.command("metric prev")
        let prev = atlasCells(explorer)
        XCTAssertGreaterThan(Set(prev.values.map { $0.filter { Palette.shades.dropFirst().contains(String($0)) } }).count, 2,
                             "several shades: \(prev)")
        // A signed metric keeps its sign: a negative score's padding is braille dots, not a shade.
        explorer.command("metric ov-copying")
        let copying = atlasCells(explorer)
        let negative = try XCTUnwrap(copying["L0H2"]), positive = try XCTUnwrap(copying["L1H2"])
        XCTAssertTrue(negative.contains("-0.13") && negative.hasPrefix(Palette.negativeShades[1]), "\(copying)")
        XCTAssertFalse(negative.contains { Palette.shades.dropFirst().contains(String($0)) }, "\(copying)")
        XCTAssertTrue(positive.contains("0.23") && positive.hasPrefix(Palette.shades[1]), "\(copying)")
        XCTAssertTrue(explorer.mainText.contains("−1 ⣿⣶⣤⣀ 0 ░▒▓█ +1 (copies)"), explorer.mainText)
    }

    func testMonochromeAtlasUsesShadeCharacters() throws {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"),
                                        prompt: SampleSessions.inductionPrompt, width: 60, height: 20, depth: .monochrome)
        XCTAssertTrue(explorer.screen.contains("█"), explorer.screen)
        XCTAssertTrue(explorer.grid.cells.allSatisfy { $0.style.foreground == .terminalDefault && $0.style.background == .terminalDefault })
    }
}

/// `:export FILE` writes the current view as the plain text on screen.
final class ExportTests: XCTestCase {
    func testExportWritesTheMainViewAsShown() throws {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"),
                                        prompt: SampleSessions.inductionPrompt, width: 100, height: 30)
        explorer.command("head L1H3")
        let shown = explorer.mainText
        explorer.command("export /tmp/view.txt")
        XCTAssertEqual(explorer.exports["/tmp/view.txt"], shown + "\n")
        XCTAssertTrue(shown.hasPrefix("L1H3 pattern"), shown)
        XCTAssertEqual(explorer.state.message?.text, "wrote Head L1H3 to /tmp/view.txt")
        XCTAssertFalse(shown.contains("mechscope ·"), "the title line is not part of the view")
    }

    /// Text keeps no colour: a colour session's `.txt` carries the heat as shade characters, the
    /// very text a monochrome session (`mechscope snapshot`, `NO_COLOR`) shows.
    func testPlainTextExportFromAColourSessionCarriesShades() throws {
        let session = try SampleSessions.session("induction-2l")
        let colour = HeadlessExplorer(session: session, prompt: SampleSessions.inductionPrompt, width: 100, height: 30)
        let mono = HeadlessExplorer(session: session, prompt: SampleSessions.inductionPrompt, width: 100, height: 30,
                                    depth: .monochrome)
        for explorer in [colour, mono] { explorer.command("head L1H3") }
        colour.command("export /tmp/view.txt")
        let txt = try XCTUnwrap(colour.exports["/tmp/view.txt"])
        XCTAssertTrue(txt.contains("█") && txt.contains("░"), txt)
        XCTAssertEqual(txt, mono.grid.text(in: mono.state.layout.main) + "\n")
    }
}

/// The atlas's layout and ranking on a model of GPT-2-small's shape (no run needed: the view is drawn alone).
final class HeadAtlasLayoutTests: XCTestCase {
    /// The atlas drawn into the main area of a `width` × `height` screen, as text.
    private func atlasText(_ state: ExplorerState) -> String {
        let main = state.layout.main
        var canvas = Canvas(grid: CellGrid(width: main.width, height: main.height), palette: Palette(depth: .monochrome))
        HeadAtlasView.render(state, into: &canvas)
        return canvas.grid.text
    }

    private func layerLabels(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let label = line.prefix(5).trimmingCharacters(in: .whitespaces)
            return label.hasPrefix("L") && Int(label.dropFirst()) != nil ? label : nil
        }
    }

    /// Every layer of a 12-layer model fits at 80×24 and at 200×60; where the rows run short the grid
    /// scrolls to keep the cursor's layer in view.
    func testEveryLayerFitsWhenTheRowsAllowAndTheGridScrollsWhenTheyDoNot() {
        for (w, h) in [(80, 24), (200, 60)] {
            let state = ExplorerState.test(layers: 12, heads: 12, width: w, height: h)
            let text = atlasText(state)
            XCTAssertEqual(layerLabels(text), (0..<12).map { "L\($0)" }, "\(w)×\(h):\n\(text)")
            XCTAssertTrue(text.contains("L0H0: "), text)
        }
        var tall = ExplorerState.test(layers: 30, heads: 12, width: 80, height: 24)
        let shown = layerLabels(atlasText(tall))
        XCTAssertEqual(shown.first, "L0")
        XCTAssertLessThan(shown.count, 30)
        tall.atlas.layer = 29
        XCTAssertEqual(layerLabels(atlasText(tall)).last, "L29")
    }

    /// On a signed metric the strongest heads are the largest in magnitude, signs shown; an unsigned
    /// metric ranks by value.
    func testStrongestRanksSignedMetricsByMagnitude() {
        var state = ExplorerState.test(layers: 12, heads: 12, width: 120, height: 40)
        state.metric = .ovCopying
        var values = Array(repeating: 0.01, count: 144)
        values[9 * 12 + 4] = 0.07
        values[9 * 12 + 1] = -0.084
        values[11 * 12 + 4] = -0.07
        state.results.finish(HeadAtlasView.request(state)!, .headMetric(values))
        let text = atlasText(state)
        XCTAssertTrue(text.contains("strongest: L9H1 −0.08  L9H4 +0.07  L11H4 −0.07  L0H0 +0.01"), text)
        state.metric = .induction
        state.results.finish(HeadAtlasView.request(state)!, .headMetric(values))
        XCTAssertTrue(atlasText(state).contains("strongest: L9H4 0.07  L0H0 0.01"), atlasText(state))
    }
}

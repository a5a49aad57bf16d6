import Foundation
import MechAnalysis
import MechModels
import XCTest
@testable import MechTUI

/// `c` on the attention-head and lens pages: the corrupted run's values equal a direct run of the
/// corrupted prompt, and the difference view is corrupted − clean.
final class CompareViewTests: XCTestCase {
    private func explorer() throws -> (HeadlessExplorer, AnalysisSession) {
        let session = try SampleSessions.session("induction-2l")
        let x = HeadlessExplorer(session: session, prompt: PatchingViewTests.clean, width: 160, height: 48)
        x.command("corrupt " + PatchingViewTests.corrupted)
        return (x, session)
    }

    /// The prompt's own forward pass, outside the explorer.
    private func directRun(_ session: AnalysisSession, _ prompt: String) throws -> (tokens: [Int], result: ForwardResult) {
        let tokens = try session.tokenize(prompt, prependBOS: true)
        return (tokens, try session.run(tokens))
    }

    func testTheHeadPageShowsTheCorruptedPatternAndTheDifference() throws {
        let (x, session) = try explorer()
        let corrupted = try directRun(session, PatchingViewTests.corrupted)
        let clean = try directRun(session, PatchingViewTests.clean)
        x.command("head L1H3")
        x.press(.char("c"))
        XCTAssertEqual(x.state.compare, .corrupted)
        XCTAssertTrue(x.screen.components(separatedBy: "\n")[0].contains("Head L1H3 (corrupted run)"), x.screen)
        XCTAssertTrue(x.mainText.contains("L1H3 attention pattern (corrupted)"), x.mainText)
        let shown = try XCTUnwrap(x.state.displayed.run)
        XCTAssertEqual(shown.tokens, corrupted.tokens)
        let n = corrupted.tokens.count
        let matrix = try XCTUnwrap(HeadMatrix(run: shown, layer: 1, head: 3, showScores: false))
        let direct = try XCTUnwrap(corrupted.result.cache[.pattern(1)])      // [head, query, key]
        let cleanPattern = try XCTUnwrap(clean.result.cache[.pattern(1)])
        var compared = 0
        for q in 0..<n {
            for k in 0...q {
                XCTAssertEqual(matrix.weight(q, k), direct.pointer[3 * n * n + q * n + k], accuracy: 1e-6)
                compared += 1
            }
        }
        XCTAssertEqual(compared, n * (n + 1) / 2)
        // The panel's top keys of the last query are the direct run's, with their weights.
        let q = n - 1
        let top = (0...q).max { direct.pointer[3 * n * n + q * n + $0] < direct.pointer[3 * n * n + q * n + $1] }!
        let lines = x.mainText.components(separatedBy: "\n")
        let heading = try XCTUnwrap(lines.firstIndex { $0.contains("top keys of query \(q) ") }, x.mainText)
        let weight = String(format: "%.2f", Double(direct.pointer[3 * n * n + q * n + top]))
        XCTAssertTrue(lines[heading + 1].contains(" \(top) '") && lines[heading + 1].contains(weight), lines[heading + 1])
        XCTAssertFalse(direct.pointer[3 * n * n + q * n + top] == cleanPattern.pointer[3 * n * n + q * n + top],
                       "the two prompts' patterns differ here, so the test can tell them apart")

        x.press(.char("c"))
        XCTAssertEqual(x.state.compare, .difference)
        XCTAssertTrue(x.mainText.contains("L1H3 corrupted − clean pattern"), x.mainText)
        let difference = try XCTUnwrap(HeadMatrix(run: try XCTUnwrap(x.state.corruptedRun), subtracting: try XCTUnwrap(x.state.run),
                                                  layer: 1, head: 3))
        XCTAssertTrue(difference.isSigned)
        for q in 0..<n {
            for k in 0...q {
                XCTAssertEqual(difference.weight(q, k),
                               direct.pointer[3 * n * n + q * n + k] - cleanPattern.pointer[3 * n * n + q * n + k], accuracy: 1e-6)
            }
        }
        x.press(.char("c"))
        XCTAssertEqual(x.state.compare, .clean)
        XCTAssertTrue(x.mainText.contains("L1H3 attention pattern  "), x.mainText)

        // ] browses heads on the corrupted run; Esc returns to where the browsing started.
        x.press(.char("c"))
        x.press(.char("]"))
        XCTAssertEqual(x.state.page, .head(layer: 0, head: 0), "L1H3 is the last head: ] wraps to L0H0")
        XCTAssertTrue(x.state.showsCorrupted)
        x.press(.escape)
        XCTAssertEqual(x.state.page, .atlas)
    }

    /// Without colour (NO_COLOR, `:export`, `mechscope snapshot`) corrupted − clean keeps its sign:
    /// a negative cell takes braille dots where a positive one of the same magnitude takes a shade,
    /// cell by cell on the real difference, zoomed in and out, and the legend shows −1, 0 and +1.
    func testTheDifferenceKeepsItsSignWithoutColour() throws {
        let session = try SampleSessions.session("induction-2l")
        let x = HeadlessExplorer(session: session, prompt: PatchingViewTests.clean, width: 160, height: 48, depth: .monochrome)
        x.command("corrupt " + PatchingViewTests.corrupted)
        x.command("head L1H3")
        x.press(.char("c"), .char("c"))
        XCTAssertEqual(x.state.compare, .difference)
        let main = x.state.layout.main
        XCTAssertTrue(x.grid.rowText(main.y).contains("corrupted − clean pattern  −1 ⣿⣶⣤⣀ 0 ░▒▓█ +1"), x.grid.rowText(main.y))
        let matrix = try XCTUnwrap(HeadMatrix(run: try XCTUnwrap(x.state.corruptedRun), subtracting: try XCTUnwrap(x.state.run),
                                              layer: 1, head: 3))
        let n = matrix.count, cursor = x.state.headPage
        /// The glyphs drawn for positive and negative cells, by step of magnitude (1…4).
        var positive: [Int: Set<String>] = [:], negative: [Int: Set<String>] = [:]
        func record(_ v: Double, _ glyph: String, _ place: String) {
            XCTAssertEqual(glyph, Palette.shade(v, signed: true), "\(place) = \(v)")
            let step = Int((abs(v) * 4).rounded())
            guard step > 0 else { return }
            if v > 0 { positive[step, default: []].insert(glyph) } else { negative[step, default: []].insert(glyph) }
        }
        let layout = AttentionHeadView.layout(x.state)
        XCTAssertFalse(layout.zoomed)
        XCTAssertEqual(layout.firstQuery, 0)
        XCTAssertEqual(layout.gridLines, n, "every query on screen")
        var cells = 0
        for q in 0..<n {
            for k in layout.firstKey..<min(q + 1, layout.firstKey + layout.keysShown) where !(q == cursor.query && k == cursor.key) {
                let v = try XCTUnwrap(matrix.shade(q, k))
                let cell = x.grid[main.x + layout.labelWidth + (k - layout.firstKey) * layout.cellWidth, main.y + layout.gridTop + q]
                record(v, cell.text, "(\(q), \(k))")
                cells += 1
            }
        }
        XCTAssertGreaterThan(cells, n * (n + 1) / 4)
        let both = Set(positive.keys).intersection(negative.keys)
        XCTAssertFalse(both.isEmpty, "the difference has a positive and a negative cell of one magnitude: \(positive) \(negative)")
        for step in both {
            XCTAssertEqual(positive[step], [Palette.shades[step]])
            XCTAssertEqual(negative[step], [Palette.negativeShades[step]])
            XCTAssertTrue(positive[step]!.isDisjoint(with: negative[step]!), "step \(step): the sign shows without colour")
        }

        // Zoomed out (two queries a line, in monochrome the larger magnitude of the two): the same glyphs.
        x.press(.char("z"))
        let zoomed = AttentionHeadView.layout(x.state)
        XCTAssertTrue(zoomed.zoomed)
        let queries = zoomed.firstQuery..<min(n, zoomed.firstQuery + 2 * zoomed.gridLines)
        let pooled = matrix.pooled(rows: queries.count, columns: zoomed.keyColumns, queries: queries)
        positive = [:]
        negative = [:]
        for line in 0..<((pooled.count + 1) / 2) {
            for c in 0..<zoomed.keyColumns {
                let pair = [pooled[2 * line][c], 2 * line + 1 < pooled.count ? pooled[2 * line + 1][c] : nil].compactMap { $0 }
                guard let v = pair.max(by: { abs($0) < abs($1) }) else { continue }
                record(v, x.grid[main.x + zoomed.labelWidth + c, main.y + zoomed.gridTop + line].text, "line \(line) column \(c)")
            }
        }
        XCTAssertFalse(negative.isEmpty, "negative cells zoomed out too")
        XCTAssertTrue(x.mainText.contains("−1 ⣿⣶⣤⣀ 0 ░▒▓█ +1"), x.mainText)

        // The lens's Δ p(answer): its legend, and the final layer's large negative cell in braille.
        x.command("lens")
        XCTAssertEqual(x.state.compare, .difference)
        XCTAssertTrue(x.mainText.contains("-100% ⣿⣶⣤⣀ 0 ░▒▓█ +100%"), x.mainText)
        let last = try XCTUnwrap(LogitLensView.window(x.state).last)
        let delta = try XCTUnwrap(LogitLensView.answerDelta(x.state, entry: x.state.model.layers, position: last))
        XCTAssertLessThan(delta, -0.3)
        let finalRow = try XCTUnwrap(x.mainText.components(separatedBy: "\n").first { $0.hasPrefix("final_post") })
        XCTAssertTrue(finalRow.contains(Palette.shade(Double(delta), signed: true) + String(format: "%+.1f%%", Double(delta) * 100)),
                      finalRow)
    }

    func testTheLensShowsTheCorruptedRunsReadings() throws {
        let (x, session) = try explorer()
        let corrupted = try directRun(session, PatchingViewTests.corrupted)
        x.command("lens")
        let cleanTop = try XCTUnwrap(LogitLensView.cursorReading(x.state)?.top.first)
        x.press(.char("c"))
        XCTAssertTrue(x.state.showsCorrupted)
        XCTAssertTrue(x.mainText.components(separatedBy: "\n")[0].contains("corrupted run"), x.mainText)
        let last = corrupted.tokens.count - 1
        let direct = try LogitLens.read(session.model.transformer, session.processedWeights(), corrupted.result,
                                        positions: [last], topK: 5)
        let reading = direct.reading(entry: x.state.model.layers, positionIndex: 0)
        let shown = try XCTUnwrap(LogitLensView.cursorReading(x.state.displayed), "the corrupted lens was computed")
        XCTAssertEqual(shown.top.map(\.tokenID), reading.top.map(\.tokenID))
        for (a, b) in zip(shown.top, reading.top) { XCTAssertEqual(a.probability, b.probability, accuracy: 1e-6) }
        XCTAssertNotEqual(reading.top.first?.tokenID, cleanTop.tokenID, "the corrupted run predicts another token")
        for t in reading.top {
            let line = "'\(x.state.vocabulary.display(t.tokenID))'"
            XCTAssertTrue(x.mainText.contains(line) && x.mainText.contains(NumberText.percent(t.probability)), "\(line)\n\(x.mainText)")
        }
        XCTAssertNotNil(x.state.corruptedResults[LogitLensView.gridRequest(x.state.displayed)])
        // Difference: the answer's probability, corrupted − clean, at every cell on screen.
        x.press(.char("c"))
        XCTAssertEqual(x.state.compare, .difference)
        XCTAssertTrue(x.mainText.contains("corrupted − clean by layer"), x.mainText)
        let answer = try XCTUnwrap(x.state.effectiveAnswer)
        XCTAssertEqual(answer, cleanTop.tokenID, "the answer is the clean run's top token")
        let clean = try directRun(session, PatchingViewTests.clean)
        let positions = Array(LogitLensView.window(x.state))
        let directClean = try LogitLens.read(session.model.transformer, session.processedWeights(), clean.result,
                                             positions: positions, topK: 1, targets: [answer])
        let directCorrupted = try LogitLens.read(session.model.transformer, session.processedWeights(), corrupted.result,
                                                 positions: positions, topK: 1, targets: [answer])
        var cells = 0
        for e in 0...x.state.model.layers {
            for (i, q) in positions.enumerated() {
                let expected = directCorrupted.reading(entry: e, positionIndex: i).targets[0].probability
                    - directClean.reading(entry: e, positionIndex: i).targets[0].probability
                XCTAssertEqual(try XCTUnwrap(LogitLensView.answerDelta(x.state, entry: e, position: q)), expected, accuracy: 1e-6)
                cells += 1
            }
        }
        XCTAssertEqual(cells, 3 * positions.count)
        let finalDelta = directCorrupted.reading(entry: 2, positionIndex: positions.count - 1).targets[0].probability
            - directClean.reading(entry: 2, positionIndex: positions.count - 1).targets[0].probability
        XCTAssertLessThan(finalDelta, -0.3, "corrupting the earlier occurrence takes the induction answer away")
        XCTAssertTrue(x.mainText.contains(String(format: "%+.1f%%", Double(finalDelta) * 100)), x.mainText)
        x.press(.char("c"))
        XCTAssertEqual(x.state.compare, .clean)
        XCTAssertEqual(LogitLensView.cursorReading(x.state)?.top.first?.tokenID, cleanTop.tokenID)
    }

    func testPromptsOfDifferentLengthsHaveNoDifferenceView() throws {
        let x = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: PatchingViewTests.clean)
        x.command("corrupt glorp snib frang wuzzle tokamak brill. glorp")
        x.command("head L1H3")
        x.press(.char("c"))
        XCTAssertEqual(x.state.compare, .corrupted, "the corrupted run alone can be shown")
        XCTAssertEqual(x.state.displayed.run?.count, 27)
        XCTAssertLessThanOrEqual(x.state.displayed.headPage.query, 26, "the cursor stays inside the corrupted tokens")
        x.press(.char("c"))
        XCTAssertEqual(x.state.compare, .clean)
        XCTAssertEqual(x.state.message?.text, "no difference view: the clean prompt is 31 tokens and the corrupted 27")
    }

    func testCompareNeedsACorruptedPrompt() throws {
        let x = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: PatchingViewTests.clean)
        x.command("head L1H3")
        x.press(.char("c"))
        XCTAssertEqual(x.state.compare, .clean)
        XCTAssertEqual(x.state.message?.text, "no corrupted prompt to compare with: P edits one, :corrupt TEXT sets it")
    }
}

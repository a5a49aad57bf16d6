import Foundation
import MechAnalysis
import MechModels
import MechTensor
@testable import MechTUI
import XCTest

/// The attention-head and layer-heads pages, driven headlessly on the induction sample at 80×24
/// and 200×60 and read off the screen as a user reads them.
final class AttentionViewTests: XCTestCase {
    static let prompt = "My friend Bartholomew Fizzlewick lives in Oslo. Yesterday Bartholomew Fizzlewick"
    static let sizes = [(80, 24), (200, 60)]

    private func session() throws -> AnalysisSession {
        try SampleSessions.session("induction-2l")
    }

    private func explorer(_ session: AnalysisSession, prompt: String = AttentionViewTests.prompt, width: Int, height: Int,
                          depth: ColorDepth = .palette256) -> HeadlessExplorer {
        HeadlessExplorer(session: session, prompt: prompt, width: width, height: height, depth: depth)
    }

    /// Layer `l`'s pattern [head, query, key] from the explorer's run.
    private func pattern(_ e: HeadlessExplorer, layer: Int) throws -> Tensor {
        try XCTUnwrap(e.state.run?.result.cache[.pattern(layer)])
    }

    // MARK: - Reading the top-keys list off the screen

    struct TopKeys {
        let query: Int
        let queryToken: String
        let keys: [(position: Int, token: String, weight: String, score: String?)]
    }

    /// The grid's cells of row `y` from column `x` to the edge, as text.
    private func text(_ grid: CellGrid, row y: Int, from x: Int) -> String {
        (x..<grid.width).map { grid[$0, y].text }.joined()
    }

    /// The "top keys of query N 'tok':" list as drawn, wherever the panel is.
    private func topKeys(_ e: HeadlessExplorer, file: StaticString = #filePath, line: UInt = #line) throws -> TopKeys {
        let grid = e.grid
        let at = try XCTUnwrap(grid.find("top keys of query "), "no top-keys list on screen:\n\(e.screen)", file: file, line: line)
        let header = text(grid, row: at.y, from: at.x)
        let headerMatch = try XCTUnwrap(header.firstMatch(of: #/top keys of query (\d+) '(.*)':/#), header, file: file, line: line)
        var keys: [(Int, String, String, String?)] = []
        // Scores mode puts a "weight   score" column heading under the list's title.
        let first = text(grid, row: at.y + 1, from: at.x).hasPrefix("   ") ? at.y + 2 : at.y + 1
        for y in first..<grid.height {
            let row = text(grid, row: y, from: at.x)
            guard let m = row.firstMatch(of: #/^[▸ ] +(\d+) '(.*?)' +(\d+\.\d\d)(?: +(-?\d+\.\d\d))?/#) else { break }
            keys.append((Int(m.1)!, String(m.2), String(m.3), m.4.map(String.init)))
        }
        XCTAssertFalse(keys.isEmpty, "no keys listed:\n\(e.screen)", file: file, line: line)
        return TopKeys(query: Int(headerMatch.1)!, queryToken: String(headerMatch.2), keys: keys)
    }

    private func formatted(_ v: Float) -> String { String(format: "%.2f", Double(v)) }

    /// Whether a token as listed (possibly cut with "…" to its column) shows `full`.
    private func shows(_ listed: String, _ full: String) -> Bool {
        listed == full || (listed.hasSuffix("…") && full.hasPrefix(listed.dropLast()))
    }

    // MARK: - Tests

    /// The layer-0 previous-token head (found with HeadPatternScores, independently of the page)
    /// has its top key at q − 1 for most queries, with the cache's weight, at both sizes.
    func testPreviousTokenHeadTopKeyIsThePreviousPosition() throws {
        let session = try session()
        let tokens = try session.tokenize(Self.prompt, prependBOS: true)
        let scores = try HeadPatternScores.compute(session.model.transformer, tokens: tokens)
        let layer0 = Array(scores.previousToken.prefix(scores.heads))
        let head = layer0.indices.max { layer0[$0] < layer0[$1] }!
        for (width, height) in Self.sizes {
            let e = explorer(session, width: width, height: height)
            e.command("head L0H\(head)")
            XCTAssertEqual(e.state.page, .head(layer: 0, head: head))
            let run = try XCTUnwrap(e.state.run)
            XCTAssertEqual(run.tokens, tokens)
            let p = try pattern(e, layer: 0)
            var previous = 0
            e.press(.char("g"))
            for q in 1..<run.count {
                e.press(.char("j"))
                let list = try topKeys(e)
                XCTAssertEqual(list.query, q)
                XCTAssertTrue(shows(list.queryToken, run.tokenTexts[q]))
                let top = try XCTUnwrap(list.keys.first)
                XCTAssertTrue(shows(top.token, run.tokenTexts[top.position]), top.token)
                XCTAssertEqual(top.weight, formatted(p[head, q, top.position]), "\(width)×\(height) q\(q)")
                if top.position == q - 1 { previous += 1 }
                // Every listed weight is the cache's, heaviest first.
                let weights = list.keys.map { Double($0.weight)! }
                XCTAssertEqual(weights, weights.sorted(by: >))
                for k in list.keys { XCTAssertEqual(k.weight, formatted(p[head, q, k.position])) }
            }
            XCTAssertGreaterThanOrEqual(Double(previous), 0.8 * Double(run.count - 1),
                                        "\(width)×\(height): q−1 on top for \(previous) of \(run.count - 1) queries")
        }
    }

    /// L1H3 attends from the second " F" (of "Fizzlewick") to the token after the first one, and
    /// from most tokens of the repeat to the token after their first occurrence. Like most heads of
    /// models trained with BOS, it parks spare attention on BOS (position 0): the induction key
    /// is the top key after BOS.
    func testInductionHeadAttendsToTheTokenAfterTheFirstOccurrence() throws {
        let session = try session()
        for (width, height) in Self.sizes {
            let e = explorer(session, width: width, height: height)
            e.command("head L1H3")
            let run = try XCTUnwrap(e.state.run)
            let fizz = run.tokenTexts.indices.filter { run.tokenTexts[$0] == " F" }
            XCTAssertEqual(fizz.count, 2, "\(run.tokenTexts)")
            let (first, second) = (fizz[0], fizz[1])
            e.press(.char("g"))
            e.type("\(second)j")
            let list = try topKeys(e)
            XCTAssertEqual(list.query, second)
            XCTAssertEqual(list.queryToken, " F")
            let induction = try XCTUnwrap(list.keys.first { $0.position != 0 })
            XCTAssertEqual(induction.position, first + 1)
            XCTAssertEqual(induction.token, run.tokenTexts[first + 1])
            XCTAssertEqual(induction.weight, formatted(try pattern(e, layer: 1)[3, second, first + 1]))

            // The repeated " Bartholomew Fizzlewick": query i attends to i − shift + 1.
            let bart = run.tokenTexts.indices.filter { run.tokenTexts[$0] == " B" }
            let shift = bart[1] - bart[0]
            var hits = 0
            e.type("\(second - bart[1])k")
            for q in bart[1]..<run.count {
                let list = try topKeys(e)
                XCTAssertEqual(list.query, q)
                if list.keys.first(where: { $0.position != 0 })?.position == q - shift + 1 { hits += 1 }
                e.press(.char("j"))
            }
            XCTAssertGreaterThanOrEqual(hits * 4, (run.count - bart[1]) * 3, "\(hits) of \(run.count - bart[1])")
        }
    }

    /// `:head L1H3` and the keys a (atlas), j, l l l, Enter reach the same page, drawn the same.
    func testHeadReachedByKeysAndByCommandIsTheSamePage() throws {
        let session = try session()
        for (width, height) in Self.sizes {
            let byCommand = explorer(session, width: width, height: height)
            byCommand.command("head L1H3")
            let byKeys = explorer(session, width: width, height: height)
            byKeys.press(.char("a"), .char("j"), .char("l"), .char("l"), .char("l"), .enter)
            XCTAssertEqual(byKeys.state.page, .head(layer: 1, head: 3))
            XCTAssertEqual(byCommand.state.page, .head(layer: 1, head: 3))
            XCTAssertEqual(byKeys.mainText, byCommand.mainText)
            XCTAssertTrue(byKeys.mainText.contains("L1H3 " + (width >= 100 ? "attention pattern" : "pattern")))
            // Esc goes back to the atlas; ] and [ move across heads, wrapping across layers,
            // replacing the page rather than stacking it.
            byKeys.press(.char("]"))
            XCTAssertEqual(byKeys.state.page, .head(layer: 0, head: 0))
            byKeys.press(.char("["), .char("["))
            XCTAssertEqual(byKeys.state.page, .head(layer: 1, head: 2))
            byKeys.press(.escape)
            XCTAssertEqual(byKeys.state.page, .atlas)
        }
    }

    /// Every row of the screen keeps the grid's width, in every mode of both pages.
    private func assertRowsFill(_ e: HeadlessExplorer, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let grid = e.grid
        for y in 0..<grid.height {
            XCTAssertEqual(DisplayWidth.of(grid.rowText(y)), grid.width, "\(what) row \(y): \(grid.rowText(y))",
                           file: file, line: line)
        }
    }

    /// z draws half blocks, two queries a line; s shows the pre-softmax scores, per-row scaled, the
    /// numbers the cache holds, masked keys blank.
    func testZoomAndScoresTogglesChangeWhatIsDrawn() throws {
        let session = try session()
        for (width, height) in Self.sizes {
            let e = explorer(session, width: width, height: height)
            e.command("head L1H3")
            e.press(.char("G"))
            let normal = e.screen                // in colour: mainText (the export) draws half blocks as shades
            XCTAssertFalse(normal.contains("▀"))
            e.press(.char("z"))
            XCTAssertTrue(e.state.headPage.zoomedOut)
            let zoomed = e.screen
            XCTAssertNotEqual(zoomed, normal)
            XCTAssertTrue(zoomed.contains("▀"), zoomed)
            XCTAssertTrue(zoomed.contains("zoomed: 2 queries a line"))
            let run = try XCTUnwrap(e.state.run)
            let last = run.count - 1
            XCTAssertNotNil(e.grid.find("\(last - 1)-\(last) "), "the last query pair's label")
            assertRowsFill(e, "zoomed \(width)×\(height)")
            e.press(.char("z"), .char("s"))
            let scores = e.mainText
            XCTAssertNotEqual(scores, normal)
            XCTAssertTrue(scores.contains("L1H3 " + (width >= 100 ? "pre-softmax scores" : "scores")))
            XCTAssertTrue(scores.contains("masked −∞"))
            let s = try XCTUnwrap(run.result.cache[.attnScores(1)])
            let list = try topKeys(e)
            XCTAssertEqual(list.query, last)
            for k in list.keys { XCTAssertEqual(k.score, formatted(s[3, last, k.position]), "\(width)×\(height)") }
            // Query 0 sees only key 0: everything right of it on its row is blank.
            e.press(.char("g"))
            let main = e.state.layout.main
            let y = try XCTUnwrap((main.y..<main.maxY).first { text(e.grid, row: $0, from: main.x).hasPrefix(" 0 ") })
            let row = text(e.grid, row: y, from: main.x)
            XCTAssertTrue(row.contains("◆"), row)
            assertRowsFill(e, "scores \(width)×\(height)")
        }
    }

    /// Without colour the heatmap is shade characters: the previous-token head's diagonal below is
    /// full blocks, and zoomed out it still uses shades, not half blocks.
    func testMonochromeDrawsShadeCharacters() throws {
        let session = try session()
        let e = explorer(session, width: 80, height: 24, depth: .monochrome)
        e.command("head L0H3")
        let p = try pattern(e, layer: 0)
        let run = try XCTUnwrap(e.state.run)
        let strong = (1..<run.count).filter { p[3, $0, $0 - 1] > 0.875 }.count
        XCTAssertGreaterThan(strong, run.count / 2)
        let fullRows = e.screen.split(separator: "\n").filter { $0.contains("█") }.count
        XCTAssertGreaterThanOrEqual(fullRows, 8, e.screen)
        XCTAssertTrue(e.screen.contains("░") || e.screen.contains("▒") || e.screen.contains("▓"))
        e.press(.char("z"))
        XCTAssertFalse(e.mainText.contains("▀"))
        XCTAssertTrue(e.mainText.contains("█"))
        e.command("layer 0")
        XCTAssertTrue(e.mainText.contains("█"))
        XCTAssertFalse(e.mainText.contains("▀"))
    }

    /// CJK and emoji tokens never break alignment: every row is exactly the grid's width.
    func testWideCharacterPromptKeepsEveryRowTheGridWidth() throws {
        let session = try session()
        for (width, height) in Self.sizes {
            let e = explorer(session, prompt: "日本語のテスト 🙂 ok ok", width: width, height: height)
            e.command("head L1H3")
            XCTAssertNotNil(e.state.run)
            assertRowsFill(e, "head")
            e.press(.char("G"))
            assertRowsFill(e, "head, last query")
            e.press(.char("z"))
            assertRowsFill(e, "head zoomed")
            e.press(.char("z"), .char("s"))
            assertRowsFill(e, "head scores")
            e.command("layer 1")
            assertRowsFill(e, "layer")
        }
    }

    /// Every size from the minimum up, every key of both pages (with counts, across heads and
    /// layers, zoomed and not, a prompt near the context length): nothing traps and every row
    /// keeps the grid's width.
    func testPagesHoldTogetherAtEverySizeUnderEveryKey() throws {
        let session = try session()
        let long = String(repeating: "glorp snib wuzzle frang tokamak brill. ", count: 4)
        let keys: [Key] = [.char("j"), .char("l"), .char("5"), .char("j"), .char("G"), .char("l"), .char("z"), .ctrl("u"),
                           .char("h"), .char("s"), .char("]"), .ctrl("d"), .char("z"), .char("g"), .char("9"),
                           .char("l"), .enter, .pageDown, .char("["), .char("k"), .pageUp, .char("s"), .char("J"), .char("J"),
                           .char("9"), .char("J"), .char("K")]
        for prompt in [Self.prompt, long, "a"] {
            for (width, height) in [(50, 12), (80, 24), (200, 60)] {
                for depth in [ColorDepth.palette256, .monochrome] {
                    let e = explorer(session, prompt: prompt, width: width, height: height, depth: depth)
                    XCTAssertNotNil(e.state.run)
                    for page in ["head L1H3", "layer 0"] {
                        e.command(page)
                        for key in keys {
                            e.press(key)
                            assertRowsFill(e, "\(page) \(width)×\(height) after \(key.label)")
                        }
                    }
                }
            }
        }
    }

    /// A token's leading space shows as "·" on the key axis as on the query rows (' and' is "·a…"
    /// over its column and "·and" on its row) where cells are three columns wide; one-column cells show "a".
    func testKeyAxisShowsTheSpaceMarkerLikeTheQueryRows() throws {
        let session = try session()
        for (width, height) in Self.sizes {
            let e = explorer(session, prompt: "cats and dogs and birds", width: width, height: height, depth: .monochrome)
            e.command("head L0H1")
            let texts = try XCTUnwrap(e.state.run?.tokenTexts)
            let k = try XCTUnwrap(texts.firstIndex(of: " and"), "\(texts)")
            let lines = e.mainText.components(separatedBy: "\n")
            let firstRow = try XCTUnwrap(lines.firstIndex { $0.hasPrefix(" 0 ") }, e.mainText)
            let queryRow = try XCTUnwrap(lines.first { $0.hasPrefix(" \(k) ") }, e.mainText)
            XCTAssertTrue(queryRow.contains("·and"), queryRow)
            let keyRow = Array(lines[firstRow - 1])
            let labelWidth = try XCTUnwrap(keyRow.firstIndex { $0 != " " })     // key 0 ('<|endoftext|>') starts the axis
            let cellWidth = width == 80 ? 1 : 3
            let cell = String(keyRow[(labelWidth + k * cellWidth)..<(labelWidth + (k + 1) * cellWidth)])
            // One-column cells hold a letter, not the marker (or every space-led token would read "·").
            XCTAssertTrue(cell.hasPrefix(cellWidth == 1 ? "a" : "·a"), "\(width)×\(height): key \(k) ' and' drawn '\(cell)' in '\(String(keyRow))'")
        }
    }

    /// The head page's OV/QK token lists cut a long token, never its score, whatever the panel's width.
    func testCircuitChipsCutTheTokenNeverTheNumber() {
        let chips = (0..<6).map { (token: "<|filler_\($0)4|>", value: $0 % 2 == 0 ? "+0.07" : "-0.12") }
        for width in 12...40 {
            var lines = PanelLines(width: width)
            lines.wrapScored("OV promotes: ", chips)
            for line in lines.lines.map(\.text) where line != "OV promotes:" {
                XCTAssertLessThanOrEqual(DisplayWidth.of(line), width, "width \(width): '\(line)'")
                XCTAssertNotNil(line.range(of: #"[+-]0\.\d\d$"#, options: .regularExpression), "width \(width): '\(line)'")
            }
            XCTAssertEqual(lines.lines.map(\.text).joined().components(separatedBy: "0.").count - 1, 6, "width \(width)")
        }
    }

    /// The sample's byte-level tokenizer splits CJK and emoji into byte tokens, so wide token texts
    /// (as other tokenizers give them) are checked on the label functions the pages draw with.
    func testWideTokenTextsKeepTheirLabelWidths() {
        for text in ["日本語のテスト", "🙂", " 日本", "a🙂b", " ", ""] {
            for columns in 1...10 {
                XCTAssertEqual(DisplayWidth.of(TokenLabel.compact(text, columns)), columns, "\(text) in \(columns)")
                XCTAssertEqual(DisplayWidth.of(AttentionHeatmap.abbreviated(text, columns)), columns, "\(text) in \(columns)")
            }
            for columns in 3...12 {
                XCTAssertLessThanOrEqual(DisplayWidth.of(TokenLabel.quoted(text, max: columns)), max(columns, DisplayWidth.of(text) <= columns - 2 ? 0 : columns))
            }
        }
        let layout = AttentionHeadLayout(width: 63, height: 22, tokenTexts: ["日本語のテスト", "🙂", "ok"], zoomed: false,
                                         query: 2, key: 1)
        XCTAssertLessThanOrEqual(layout.labelWidth + layout.keyColumns, 63)
    }

    /// The OV/QK summary reads the token at the query's most-attended key after BOS (the sample
    /// runs with BOS, where heads park attention) until Enter pins the cursor's key; what it
    /// prints is the computed circuit's.
    func testCircuitPanelFollowsTheTopKeyAndEnterPinsAKey() throws {
        let session = try session()
        let e = explorer(session, width: 200, height: 60)
        e.command("head L1H3")
        let run = try XCTUnwrap(e.state.run)
        let second = run.tokenTexts.indices.filter { run.tokenTexts[$0] == " F" }[1]
        e.press(.char("g"))
        e.type("\(second)j")
        let top = try XCTUnwrap(try topKeys(e).keys.first { $0.position != 0 })
        let token = run.tokens[top.position]
        guard case .headCircuit(let circuit)? = e.state.results[.headCircuit(layer: 1, head: 3, token: token)] else {
            return XCTFail("the circuit at the top key's token was not computed")
        }
        XCTAssertTrue(e.screen.contains("OV/QK at '\(run.tokenTexts[top.position])' (top key after BOS of q\(second)"), e.screen)
        let promoted = try XCTUnwrap(circuit.promoted.first)
        let chip = "'\(e.state.vocabulary.display(promoted.token))' " + String(format: "%+.2f", Double(promoted.score))
        XCTAssertTrue(e.screen.contains("OV promotes: " + chip), e.screen)
        XCTAssertTrue(e.screen.contains("copying score " + String(format: "%.2f", circuit.copyingScore)))
        // Scores of the head, as the metric results hold them.
        guard case .headMetric(let induction)? = e.state.results[.headMetric(.induction, target: nil)] else {
            return XCTFail("induction scores missing")
        }
        XCTAssertTrue(e.screen.contains("ind " + String(format: "%.2f", induction[1 * 4 + 3])))
        // Pin key 1 (h moves the key cursor, clamped to the keys the query sees).
        e.type("100h")
        e.press(.char("l"))
        XCTAssertEqual(e.state.headPage.key, 1)
        e.press(.enter)
        XCTAssertEqual(e.state.headPage.circuitToken, run.tokens[1])
        XCTAssertTrue(e.screen.contains("OV/QK at '\(run.tokenTexts[1])' (pinned"), e.screen)
        e.press(.enter)
        XCTAssertNil(e.state.headPage.circuitToken)
    }

    /// The head's summary, read as a user pages it with J: the column from its "scores:" line down,
    /// one page a press until the note offers no more, with wrapped lines joined.
    private func pagedSummary(_ e: HeadlessExplorer) throws -> (text: String, pages: Int) {
        var text = "", pages = 0
        let start = try XCTUnwrap(e.grid.find("scores: prev"), e.screen)
        while true {
            pages += 1
            let rows = (start.y..<(e.grid.height - 1)).map { self.text(e.grid, row: $0, from: start.x) }
            let isNote = { (row: String) in row.contains(" · J more") || row.contains(" · K back") }
            let page = rows.prefix { !isNote($0) }
            text += " " + page.joined(separator: " ")
            guard let note = rows.first(where: isNote), note.contains("J more"), pages < 20 else { break }
            e.press(.char("J"))
        }
        return (text.split(separator: " ").joined(separator: " "), pages)
    }

    /// Every line of the head's summary is reachable at 80×24 (J pages it, K back, the note says
    /// which lines show) and none is clipped at 200×60 (long lines wrap).
    func testTheWholeHeadSummaryIsReachableAndWrapped() throws {
        let session = try session()
        for (width, height) in Self.sizes {
            let e = explorer(session, width: width, height: height)
            e.command("head L1H3")
            let (summary, pages) = try pagedSummary(e)
            for part in ["OV promotes: ", "OV suppresses: ", "(Σλ/Σ|λ| of the full OV circuit)", "QK as query prefers keys: ",
                         "positional: prefers offset", "of queries)", "strongest compositions with earlier heads:",
                         "Q: L0H", "K: L0H3", "V: L0H"] {
                XCTAssertTrue(summary.contains(part), "\(width)×\(height): '\(part)' in \(summary)")
            }
            if width == 80 {
                XCTAssertGreaterThan(pages, 2, "the summary takes pages at 80×24")
                XCTAssertTrue(e.screen.contains("· K back"), e.screen)
                XCTAssertFalse(e.screen.contains("J more"), "the last page")
                for _ in 1..<pages { e.press(.char("K")) }
                XCTAssertEqual(e.state.headPage.summaryScroll, 0)
                XCTAssertTrue(e.screen.contains("J more") && !e.screen.contains("K back"), e.screen)
                e.press(.char("?"))
                XCTAssertTrue(e.screen.contains("page the summary down"), "help lists J")
            } else {
                XCTAssertEqual(pages, 1, "at 200×60 it fits")
            }
        }
    }

    /// The layer page tiles every head with its strongest score; the cursor moves between tiles,
    /// Enter opens the head, s toggles scores.
    func testLayerPageShowsEveryHeadAndOpensOne() throws {
        let session = try session()
        let tokens = try session.tokenize(Self.prompt, prependBOS: true)
        let scores = try HeadPatternScores.compute(session.model.transformer, tokens: tokens)
        for (width, height) in Self.sizes {
            let e = explorer(session, width: width, height: height)
            e.command("layer 1")
            XCTAssertEqual(e.state.page, .layer(1))
            for h in 0..<4 {
                let values = [("prev", scores.previousToken[4 + h]), ("dup", scores.duplicateToken[4 + h]),
                              ("ind", scores.induction[4 + h])]
                let best = values.max { $0.1 < $1.1 }!
                let label = "L1H\(h) \(best.0) " + String(format: "%.2f", best.1)
                XCTAssertNotNil(e.grid.find(label), "\(width)×\(height): \(label)\n\(e.screen)")
            }
            XCTAssertNotNil(e.grid.find("L1H3 ind " + String(format: "%.2f", scores.induction[7])))
            XCTAssertTrue(e.screen.contains("▀"))
            assertRowsFill(e, "layer \(width)×\(height)")
            e.press(.char("l"), .char("l"), .char("l"), .char("l"))
            XCTAssertEqual(e.state.layerPage.head, 3)
            e.press(.char("h"))
            XCTAssertEqual(e.state.layerPage.head, 2)
            let patterns = e.mainText
            e.press(.char("s"))
            XCTAssertTrue(e.mainText.contains("Layer 1 · 4 heads · " + (width >= 100 ? "pre-softmax scores" : "scores")))
            XCTAssertNotEqual(e.mainText, patterns)
            e.press(.char("]"))
            XCTAssertEqual(e.state.page, .layer(0))
            XCTAssertNotNil(e.grid.find("L0H3 prev " + String(format: "%.2f", scores.previousToken[3])))
            e.press(.char("l"), .enter)
            XCTAssertEqual(e.state.page, .head(layer: 0, head: 3))
        }
    }

    /// The pages' keys are in the one keymap, so `?` lists them.
    func testHelpListsThePagesKeys() throws {
        let session = try session()
        let e = explorer(session, width: 200, height: 60)
        e.command("head L1H3")
        e.press(.char("?"))
        for text in ["pattern / pre-softmax scores", "zoom out", "next head", "previous head", "pin the cursor's key"] {
            XCTAssertTrue(e.screen.contains(text), text)
        }
        e.press(.escape)
        e.command("layer 1")
        e.press(.char("?"))
        for text in ["open the head", "patterns / pre-softmax scores", "next layer", "previous layer"] {
            XCTAssertTrue(e.screen.contains(text), text)
        }
    }
}

import Foundation
import MechAnalysis
import MechModels
import MechTensor
import XCTest
@testable import MechTUI

/// The neuron, lens, attribution, embedding and final-norm pages on the bundled samples, read off
/// the screen as a user reads them, against values computed independently from the session.
final class PageViewTests: XCTestCase {
    static let inductionPrompt = "My friend Bartholomew Fizzlewick lives in Oslo. Yesterday Bartholomew Fizzlewick"
    static let modAddPrompt = "12 45 ="
    static let sizes = [(80, 24), (200, 60)]

    // MARK: - Logit lens

    /// The lens's final row at the last position shows the model's own top-1 (`mechscope run`),
    /// with its probability, at both sizes and on both samples.
    func testLensFinalRowAtTheLastPositionIsTheRunsTopToken() throws {
        for (name, prompt) in [("induction-2l", Self.inductionPrompt), ("modadd-1l", Self.modAddPrompt)] {
            let session = try PageSamples.session(name)
            let logits = try PageSamples.lastLogits(session, prompt)
            let top = logits.indices.max { logits[$0] < logits[$1] }!
            let probability = PageSamples.softmax(logits)[top]
            let text = TokenReference.display(top, in: session.model)
            for (w, h) in Self.sizes {
                let x = HeadlessExplorer(session: session, prompt: prompt, width: w, height: h)
                XCTAssertEqual(x.state.run?.topNext.first?.tokenID, top, "\(name): run's top-1")
                x.command("lens")
                let lines = x.mainText.components(separatedBy: "\n")
                let finalRow = try XCTUnwrap(lines.first { $0.hasPrefix("final_post ") }, x.screen)
                let cell = DisplayWidth.fit(TokenText.visible(text), LogitLensView.cellWidth(x.state.layout.main.width) - 1)
                XCTAssertTrue(finalRow.hasSuffix(cell.trimmingCharacters(in: .whitespaces)),
                              "\(name) \(w)×\(h): last cell of '\(finalRow)' should be '\(text)'")
                XCTAssertTrue(lines.contains { $0.hasPrefix(" 1 '\(text)'") && $0.contains(NumberText.percent(probability)) },
                              "\(name) \(w)×\(h): the cursor cell's top-1 and its probability\n\(x.screen)")
            }
        }
    }

    /// On the mod-add sample the next-token page's first row is "57" (12 + 45 mod 113).
    func testModAddPredicts57() throws {
        let x = HeadlessExplorer(session: try PageSamples.session("modadd-1l"), prompt: Self.modAddPrompt, width: 80, height: 24)
        XCTAssertEqual(x.state.run?.tokens, [12, 45, 113])
        x.press(.char("t"))
        XCTAssertNotNil(x.screen.range(of: "A  1  '57'"), x.screen)
        XCTAssertEqual(x.state.run?.topNext.first?.text, "57")
    }

    /// Enter on a lens cell makes that cell's top token the answer, which the target column then follows.
    func testEnterOnALensCellSetsTheAnswer() throws {
        let session = try PageSamples.session("induction-2l")
        let x = HeadlessExplorer(session: session, prompt: Self.inductionPrompt, width: 80, height: 24)
        x.command("lens")
        x.press(.char("k"), .char("h"))                     // 1_pre, second-to-last position
        let n = try XCTUnwrap(x.state.run?.count)
        let run = try session.run(x.state.run!.tokens)
        let lens = try LogitLens.read(session.model.transformer, session.processedWeights(), run, positions: [n - 2], topK: 1)
        let expected = lens.reading(entry: 1, positionIndex: 0).top[0].tokenID
        XCTAssertNotEqual(expected, x.state.effectiveAnswer, "the cell's token should differ from the current answer")
        x.press(.enter)
        XCTAssertEqual(x.state.answer, expected)
        let text = TokenReference.display(expected, in: session.model)
        XCTAssertTrue(x.screen.contains("answer: '\(text)'"), x.screen)
        XCTAssertTrue(x.mainText.contains("answer '\(text)' by layer"), x.mainText)
    }

    /// The answer's rank by layer reads "rank N", never "#N" (the token-id syntax), and agrees with the lens.
    func testLensWritesTheAnswersRankAsRankNotAsATokenID() throws {
        let session = try PageSamples.session("induction-2l")
        let x = HeadlessExplorer(session: session, prompt: Self.inductionPrompt, width: 100, height: 30)
        x.command("lens")
        let lines = x.mainText.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex { $0.contains("answer '") && $0.contains("by layer") }, x.mainText)
        let rows = lines[(start + 1)...].filter { $0.contains("_pre") || $0.contains("final_post") }
        XCTAssertFalse(rows.isEmpty, x.mainText)
        let column = lines[start].range(of: "answer")!.lowerBound.utf16Offset(in: lines[start])
        for row in rows {
            let tail = String(row.dropFirst(column))
            XCTAssertFalse(tail.contains("#"), "'\(tail)' writes a rank like a token id")
            XCTAssertNotNil(tail.range(of: #"rank \d+"#, options: .regularExpression), "'\(tail)'")
        }
    }

    /// Only the positions on screen are computed: scrolling left asks for the new window.
    func testLensRequestsExactlyTheVisiblePositions() throws {
        let x = HeadlessExplorer(session: try PageSamples.session("induction-2l"), prompt: Self.inductionPrompt, width: 80, height: 24)
        x.command("lens")
        let n = try XCTUnwrap(x.state.run?.count)
        let columns = LogitLensView.window(x.state).count
        XCTAssertLessThan(columns, n)
        let first = Array((n - columns)..<n)
        XCTAssertNotNil(x.state.results[.lens(positions: first, target: nil)])
        x.press(.char(Character("\(columns)")), .char("h"))
        let shifted = Array((n - columns - 1)..<(n - 1))
        XCTAssertEqual(LogitLensView.window(x.state), shifted.first!..<(shifted.last! + 1))
        XCTAssertNotNil(x.state.results[.lens(positions: shifted, target: nil)])
        XCTAssertTrue(x.mainText.contains("\(n - columns - 1)"), "the new leftmost position is labelled")
    }

    // MARK: - Neurons

    /// The neuron list's first row is the neuron most active at the last position, with its value
    /// as the page prints it; `s` re-ranks by the maximum over the prompt, then by DLA.
    func testNeuronListRanksByActivationMaximumAndAttribution() throws {
        let session = try PageSamples.session("modadd-1l")
        let tokens = try session.tokenize(Self.modAddPrompt, prependBOS: session.defaultPrependBOS)
        let run = try session.run(tokens)
        let post = try XCTUnwrap(run.cache[.mlpPost(0)])
        let dMLP = post.shape[1], last = tokens.count - 1
        let here = (0..<dMLP).map { post.pointer[last * dMLP + $0] }
        let maxima = (0..<dMLP).map { n in (0..<tokens.count).map { post.pointer[$0 * dMLP + n] }.max()! }
        let weights = session.processedWeights()
        let direction = try DirectLogitAttribution.direction(weights, answer: 57)
        let dla = try DirectLogitAttribution.neurons(session.model.transformer, weights, run, positions: [last],
                                                     direction: direction).column()
        func argmax(_ v: [Float]) -> Int { v.indices.max { v[$0] < v[$1] }! }
        for (w, h) in Self.sizes {
            let x = HeadlessExplorer(session: session, prompt: Self.modAddPrompt, width: w, height: h)
            x.command("neurons 0")
            var n = argmax(here)
            XCTAssertTrue(PageSamples.line(x, startingWith: "   1 L0N\(n) ")?.contains(String(format: "%.3f", here[n])) == true,
                          "\(w)×\(h)\n\(x.screen)")
            XCTAssertTrue(x.mainText.contains("by activation at '=' (pos 2)"))
            let row = try XCTUnwrap(PageSamples.line(x, startingWith: "   1 L0N\(n) "))
            XCTAssertTrue(row.contains { Palette.sparks.contains(String($0)) }, "a sparkline over the prompt: \(row)")

            x.press(.char("s"))
            n = argmax(maxima)
            XCTAssertNotNil(PageSamples.line(x, startingWith: "   1 L0N\(n) "), x.screen)
            XCTAssertTrue(x.mainText.contains("by max activation over the prompt"))

            x.press(.char("s"))
            n = argmax(dla)
            let dlaRow = try XCTUnwrap(PageSamples.line(x, startingWith: "   1 L0N\(n) "), x.screen)
            XCTAssertTrue(dlaRow.contains(String(format: "%+.3f", dla[n])), dlaRow)
            XCTAssertTrue(x.mainText.contains("by DLA to '57'"))
        }
    }

    /// h moves the token the list ranks at; Enter opens the cursor's neuron, ] the next one, and
    /// the neuron page lists its activations and the tokens its output weights promote.
    func testNeuronListCursorTokenAndOpeningANeuron() throws {
        let session = try PageSamples.session("modadd-1l")
        let run = try session.run(try session.tokenize(Self.modAddPrompt, prependBOS: false))
        let post = try XCTUnwrap(run.cache[.mlpPost(0)])
        let dMLP = post.shape[1]
        let atFirst = (0..<dMLP).max { post.pointer[$0] < post.pointer[$1] }!
        let x = HeadlessExplorer(session: session, prompt: Self.modAddPrompt, width: 80, height: 24)
        x.command("neurons 0")
        x.press(.char("2"), .char("h"))
        XCTAssertTrue(x.mainText.contains("by activation at '12' (pos 0)"), x.mainText)
        XCTAssertNotNil(PageSamples.line(x, startingWith: "   1 L0N\(atFirst) "), x.screen)
        x.press(.enter)
        XCTAssertEqual(x.state.page, .neuron(layer: 0, neuron: atFirst))
        XCTAssertTrue(x.mainText.hasPrefix("Neuron L0N\(atFirst) "), x.mainText)
        let value = String(format: "%.3f", post.pointer[atFirst])
        XCTAssertNotNil(PageSamples.line(x, startingWith: "    0  '12'", containing: value), x.mainText)
        let effect = try NeuronOutputEffect(layer: 0, neuron: atFirst, weights: session.processedWeights(), count: 1)
        let promoted = "'\(TokenReference.display(effect.promoted[0].tokenID, in: session.model))'"
        XCTAssertTrue(x.mainText.contains("promotes"))
        XCTAssertNotNil(PageSamples.line(x, startingWith: promoted, containing: String(format: "%+.3f", effect.promoted[0].effect)),
                        x.mainText)
        x.press(.char("]"))
        XCTAssertEqual(x.state.page, .neuron(layer: 0, neuron: atFirst + 1))
    }

    // MARK: - Attribution

    /// Per component and per head, the bars add up to the printed total; each bar is
    /// `DirectLogitAttribution`'s value; the total plus the unembedding bias is the logit difference
    /// computed from the model's logits.
    func testAttributionBarsAddUpToTheLogitDifference() throws {
        let session = try PageSamples.session("induction-2l")
        for (w, h) in Self.sizes {
            let x = HeadlessExplorer(session: session, prompt: Self.inductionPrompt, width: w, height: h)
            let top = try XCTUnwrap(x.state.run?.topNext)
            x.press(.char("t"), .char("j"), .char("w"), .char("d"))   // wrong = the second most likely token
            XCTAssertEqual(x.state.wrong, top[1].tokenID)

            let model = session.model.transformer, weights = session.processedWeights()
            let tokens = x.state.run!.tokens, last = tokens.count - 1
            let run = try session.run(tokens)
            let logits = run.lastLogits!.scalars
            let difference = logits[top[0].tokenID] - logits[top[1].tokenID]
            let direction = try DirectLogitAttribution.direction(weights, answer: top[0].tokenID, wrong: top[1].tokenID)
            let expected = try DirectLogitAttribution.components(model, run, positions: [last], direction: direction)
            let residual = try DirectLogitAttribution.residualLogit(model, run, positions: [last], direction: direction)[0]

            for unit in ["component", "head"] {
                if unit == "head" {
                    x.press(.char("s"))
                    XCTAssertTrue(x.mainText.contains("per head"))
                }
                let bars = PageSamples.bars(x.mainText)
                let printedTotal = try XCTUnwrap(PageSamples.number(after: "total ", in: x.mainText), x.mainText)
                let printedDifference = try XCTUnwrap(PageSamples.number(after: "logit difference ", in: x.mainText))
                XCTAssertEqual(bars.count, unit == "component" ? 2 + 2 : 8 + 2 + 1, "\(unit) rows\n\(x.mainText)")
                XCTAssertEqual(bars.map(\.value).reduce(0, +), printedTotal, accuracy: 0.0005 * Double(bars.count), unit)
                XCTAssertEqual(printedTotal, Double(residual), accuracy: 0.0005)
                XCTAssertEqual(printedDifference, Double(difference), accuracy: 0.0005)
                let bias = try XCTUnwrap(PageSamples.number(after: "unembedding bias ", in: x.mainText))
                XCTAssertEqual(printedTotal + bias, Double(difference), accuracy: 0.002)
                if unit == "component" {
                    for (i, label) in expected.labels.enumerated() {
                        let bar = try XCTUnwrap(bars.first { $0.label == label }, label)
                        XCTAssertEqual(bar.text, String(format: "%+.3f", expected.value(i)), label)
                    }
                    XCTAssertEqual(bars.map { abs($0.value) }, bars.map { abs($0.value) }.sorted(by: >), "sorted by size")
                    x.press(.char("o"))
                    XCTAssertEqual(PageSamples.bars(x.mainText).map(\.label), expected.labels, "o: model order")
                    x.press(.char("o"))
                }
            }
            // Enter on the largest head opens it.
            x.press(.char("g"), .enter)
            XCTAssertEqual(x.state.page, .head(layer: 1, head: 3), "the induction sample's answer comes from L1H3")
        }
    }

    // MARK: - Embeddings and final norm

    /// One row per token: id, norms of hook_embed and hook_pos_embed from the cache, BOS marked.
    func testEmbeddingRowsShowIdsNormsAndBOS() throws {
        let session = try PageSamples.session("induction-2l")
        let x = HeadlessExplorer(session: session, prompt: Self.inductionPrompt, width: 80, height: 24)
        x.press(.char("e"))
        let run = try XCTUnwrap(x.state.run)
        XCTAssertEqual(run.tokens.first, 0)
        let embed = try XCTUnwrap(run.result.cache[.embed]), pos = try XCTUnwrap(run.result.cache[.posEmbed])
        for q in [0, 3] {
            let norm = { (t: Tensor) in String(format: "%.3f", (0..<t.shape[1]).map { Double(t[q, $0] * t[q, $0]) }.reduce(0, +).squareRoot()) }
            let row = try XCTUnwrap(PageSamples.line(x, startingWith: String(format: "%4d  '", q)), x.mainText)
            XCTAssertTrue(row.contains("'\(run.tokenTexts[q])'") && row.contains(" \(run.tokens[q]) "), row)
            XCTAssertTrue(row.contains(norm(embed)) && row.contains(norm(pos)), row)
            XCTAssertEqual(row.contains(" BOS"), q == 0, row)
        }
        XCTAssertTrue(x.mainText.contains("' f'"), "a leading space stays visible inside quotes")
        x.press(.char("3"), .char("j"), .enter)               // Enter: the logit lens at that position
        XCTAssertEqual(x.state.page, .lens)
        XCTAssertEqual(LogitLensView.cursorPosition(x.state), 3)
        XCTAssertTrue(LogitLensView.window(x.state).contains(3))
    }

    /// Per position: ‖final residual‖, ln_final's scale, and the model's prediction; a model
    /// without a final norm says so.
    func testFinalNormShowsScaleAndPrediction() throws {
        let session = try PageSamples.session("induction-2l")
        let x = HeadlessExplorer(session: session, prompt: Self.inductionPrompt, width: 200, height: 60)
        x.command("final")
        let run = try XCTUnwrap(x.state.run)
        let scale = try XCTUnwrap(run.result.cache[.lnFinalScale])
        let last = run.count - 1
        let row = try XCTUnwrap(PageSamples.line(x, startingWith: String(format: "%4d  '", last)), x.mainText)
        XCTAssertTrue(row.contains(String(format: "%.3f", scale.pointer[last])), row)
        XCTAssertTrue(row.contains("'\(run.topNext[0].text)'") && row.contains(NumberText.percent(run.topNext[0].probability)), row)

        let m = HeadlessExplorer(session: try PageSamples.session("modadd-1l"), prompt: Self.modAddPrompt, width: 80, height: 24)
        m.command("final")
        XCTAssertTrue(m.mainText.contains("no final norm"), m.mainText)
        XCTAssertNotNil(PageSamples.line(m, startingWith: "   2  '='", containing: "'57'"), m.mainText)
    }

    // MARK: - Monochrome and wide characters

    /// Without colour, depth is carried by characters: shades in the lens and the Neuroscope text,
    /// █ and ▒ bars with printed signs in the attribution, and no colour anywhere.
    func testMonochromeUsesShadeAndBarCharacters() throws {
        let x = HeadlessExplorer(session: try PageSamples.session("induction-2l"), prompt: Self.inductionPrompt,
                                 width: 80, height: 24, depth: .monochrome)
        x.command("lens")
        let shades = Set(Palette.shades.dropFirst())
        let finalRow = try XCTUnwrap(PageSamples.line(x, startingWith: "final_post "))
        XCTAssertTrue(finalRow.contains { shades.contains(String($0)) }, finalRow)
        PageSamples.assertNoColour(x)

        x.command("dla")
        let bars = PageSamples.bars(x.mainText)
        XCTAssertTrue(bars.contains { $0.value < 0 } && bars.contains { $0.value > 0 })
        for bar in bars where abs(bar.value) > 0.5 {
            let line = try XCTUnwrap(PageSamples.line(x, startingWith: bar.label))
            XCTAssertTrue(line.contains(bar.value > 0 ? "█" : "▒") && !line.contains(bar.value > 0 ? "▒" : "█"), line)
            XCTAssertTrue(line.contains(bar.value > 0 ? "+" : "-"), line)
        }
        PageSamples.assertNoColour(x)

        let m = HeadlessExplorer(session: try PageSamples.session("modadd-1l"), prompt: Self.modAddPrompt,
                                 width: 80, height: 24, depth: .monochrome)
        m.command("neurons 0")
        m.press(.enter)
        let text = m.mainText.components(separatedBy: "\n")[2]
        XCTAssertTrue(text.hasPrefix("12█"), "the most active token carries a full shade: \(text)")
        PageSamples.assertNoColour(m)
    }

    /// A prompt of wide characters keeps every row exactly the grid's width on every page (the
    /// byte-level sample tokenizer splits CJK and emoji into byte tokens, so the wide text is in
    /// the title and the prompt editor drawn over the page).
    func testWideCharacterPromptKeepsEveryRowAligned() throws {
        let prompt = "日本語のテスト 🙂 emoji 漢字 naïve Fizzlewick"
        for (w, h) in Self.sizes {
            let x = HeadlessExplorer(session: try PageSamples.session("induction-2l"), prompt: prompt, width: w, height: h)
            let m = HeadlessExplorer(session: try PageSamples.session("modadd-1l"), prompt: Self.modAddPrompt, width: w, height: h)
            for (explorer, command) in [(x, "lens"), (x, "dla"), (x, "embed"), (x, "final"), (m, "neurons 0"), (m, "neuron 0.253")] {
                explorer.command(command)
                PageSamples.assertRowsFit(explorer, "\(command) \(w)×\(h)")
                explorer.press(.char("p"))
                if explorer === m { explorer.type(" 日本語🙂") }
                XCTAssertTrue(explorer.screen.contains("日本語"), "the wide prompt is on screen\n\(explorer.screen)")
                PageSamples.assertRowsFit(explorer, "\(command) \(w)×\(h) with the prompt editor open")
                explorer.press(.escape)
            }
        }
    }

    /// Wide tokens (CJK, emoji) wrap whole in a token strip and fill exactly their two columns,
    /// in colour and with monochrome marks, in a strip narrower than some tokens.
    func testTokenStripWrapsWideTokensWhole() {
        let texts = ["日本", "語", "🙂🙂", " naïve", "漢字テスト長い", "x"]
        for depth in [ColorDepth.palette256, .monochrome] {
            let palette = Palette(depth: depth)
            var canvas = Canvas(grid: CellGrid(width: 11, height: 8), palette: palette)
            let pieces = texts.enumerated().map { i, t in
                TokenStrip.Piece(text: t, style: palette.heat(Double(i) / 5).style,
                                 mark: palette.hasColor ? nil : palette.heat(Double(i) / 5))
            }
            let strip = TokenStrip(pieces, width: canvas.width, gap: 1)
            XCTAssertEqual(strip.draw(y: 0, maxLines: 8, focus: 5, into: &canvas), strip.lines.count)
            for y in 0..<canvas.grid.height {
                XCTAssertEqual(DisplayWidth.of(canvas.grid.rowText(y)), 11, "row \(y): '\(canvas.grid.rowText(y))'")
            }
            let screen = canvas.grid.text
            for t in ["日本", "語", "🙂🙂", "x"] { XCTAssertTrue(screen.contains(t), "\(t) whole in\n\(screen)") }
            let cut = palette.hasColor ? "漢字テスト…" : "漢字テス…"           // monochrome keeps a column for the shade
            XCTAssertTrue(screen.contains(cut), "a token wider than the strip is cut with an ellipsis\n\(screen)")
        }
    }
}

/// Sessions on the samples (opened once) and readers of what the pages print.
enum PageSamples {
    static func session(_ name: String) throws -> AnalysisSession { try SampleSessions.session(name) }

    /// The last position's logits of a prompt run with the model's default BOS convention.
    static func lastLogits(_ session: AnalysisSession, _ prompt: String) throws -> [Float] {
        try session.run(try session.tokenize(prompt, prependBOS: session.defaultPrependBOS)).lastLogits!.scalars
    }

    static func softmax(_ logits: [Float]) -> [Float] {
        let m = logits.max()!
        let e = logits.map { Foundation.exp(Double($0 - m)) }
        let s = e.reduce(0, +)
        return e.map { Float($0 / s) }
    }

    /// The first line of the main view starting with `prefix` (and containing `text`).
    static func line(_ x: HeadlessExplorer, startingWith prefix: String, containing text: String? = nil) -> String? {
        x.mainText.components(separatedBy: "\n").first { $0.hasPrefix(prefix) && (text.map($0.contains) ?? true) }
    }

    /// The signed number printed right after `marker`.
    static func number(after marker: String, in text: String) -> Double? {
        guard let r = text.range(of: marker) else { return nil }
        return Double(text[r.upperBound...].prefix { "+-.0123456789".contains($0) })
    }

    /// The attribution page's rows: label, the value as printed, and as a number.
    static func bars(_ main: String) -> [(label: String, text: String, value: Double)] {
        main.components(separatedBy: "\n").dropFirst(AttributionView.listTop).compactMap { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let value = Double(parts[1]), parts[1].first == "+" || parts[1].first == "-",
                  parts[1].contains(".") else { return nil }
            return (String(parts[0]), String(parts[1]), value)
        }
    }

    static func assertNoColour(_ x: HeadlessExplorer, file: StaticString = #filePath, line: UInt = #line) {
        let colored = x.grid.cells.filter { $0.style.foreground != .terminalDefault || $0.style.background != .terminalDefault }
        XCTAssertTrue(colored.isEmpty, "monochrome cells carry no colour", file: file, line: line)
    }

    /// Every row's display width is the grid's width: no wide character cut or overlapping.
    static func assertRowsFit(_ x: HeadlessExplorer, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let grid = x.grid
        for y in 0..<grid.height {
            XCTAssertEqual(DisplayWidth.of(grid.rowText(y)), grid.width, "\(what): row \(y) '\(grid.rowText(y))'",
                           file: file, line: line)
        }
    }
}

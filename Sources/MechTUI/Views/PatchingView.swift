import Foundation
import MechAnalysis

/// Activation patching between the clean and the corrupted prompt (`:patch`, `C`): the grids of
/// `mechscope patch` — resid_pre, attn_out and mlp_out over layer × position, and the heads' output
/// over layer × head — as diverging heatmaps that fill in cell by cell while the worker sweeps.
/// Each cell is TransformerLens's normalised metric (patched − corrupted) / (clean − corrupted) of
/// logit[answer] − logit[wrong] at the last position, with the corrupted run patched (denoising).
public enum PatchingView: PageView {
    static let labelWidth = 5

    /// The grids this model has (an attention-only model has no mlp_out).
    static func targets(_ state: ExplorerState) -> [PatchingTarget] {
        state.model.hasMLP ? PatchingTarget.allCases : PatchingTarget.allCases.filter { $0 != .mlpOut }
    }

    static func target(_ state: ExplorerState) -> PatchingTarget {
        let t = state.patchingPage.target
        return targets(state).contains(t) ? t : .residPre
    }

    /// Why no grid can be computed, in one line; nil when it can (or the runs are on their way).
    static func blocker(_ state: ExplorerState) -> String? {
        guard state.corruptedPrompt != nil else {
            return "no corrupted prompt: P edits one, :corrupt TEXT sets it (as many tokens as the clean prompt)"
        }
        if let error = state.corruptedError { return "the corrupted prompt cannot run: \(error)" }
        if let error = state.runError { return "the clean prompt cannot run: \(error)" }
        if let m = state.lengthMismatch { return PatchingError.lengthMismatch(clean: m.clean, corrupted: m.corrupted).description }
        guard state.currentRun != nil, state.currentCorruptedRun != nil else { return nil }
        guard let answer = state.effectiveAnswer, let wrong = state.wrong else {
            return "patching measures logit[answer] − logit[wrong]: choose a wrong token (w on the next-token page, :wrong TOKEN)"
        }
        return answer == wrong ? "the wrong token must differ from the answer" : nil
    }

    static func request(_ state: ExplorerState) -> AnalysisRequest? {
        guard blocker(state) == nil, let clean = state.currentRun, let corrupted = state.currentCorruptedRun,
              let answer = state.effectiveAnswer, let wrong = state.wrong else { return nil }
        return .patching(target(state), PatchingQuestion(clean: clean.tokens, corrupted: corrupted.tokens,
                                                         answer: answer, wrong: wrong))
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] { request(state).map { [$0] } ?? [] }

    /// The grid as far as it is computed.
    static func cells(_ state: ExplorerState) -> PatchingCells? {
        guard let r = request(state), case .patching(let cells)? = state.results[r] else { return nil }
        return cells
    }

    static func columnCount(_ state: ExplorerState) -> Int {
        target(state).isPerPosition ? (state.run?.count ?? 0) : state.model.heads
    }

    /// The cursor, kept inside the grid.
    static func cursor(_ state: ExplorerState) -> (layer: Int, column: Int) {
        (max(0, min(state.model.layers - 1, state.patchingPage.layer)),
         max(0, min(columnCount(state) - 1, state.patchingPage.column)))
    }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        let (layer, column) = cursor(state)
        let columns = max(1, columnCount(state)), layers = state.model.layers
        var page = state.patchingPage
        page.layer = layer
        page.column = column
        switch action {
        case .cyclePatchingGrid:
            let all = targets(state)
            page.target = all[((all.firstIndex(of: target(state)) ?? 0) + count) % all.count]
            state.patchingPage = page
            state.patchingPage.column = cursor(state).column
            return .message(StatusMessage("patching grid: \(page.target.rawValue)"))
        case .moveLeft: page.column = max(0, column - count)
        case .moveRight: page.column = min(columns - 1, column + count)
        case .pageUp: page.column = max(0, column - window(state, width: state.layout.main.width).count * count)
        case .pageDown: page.column = min(columns - 1, column + window(state, width: state.layout.main.width).count * count)
        case .open:
            state.patchingPage = page
            return target(state).isPerPosition ? .go(.layer(layer)) : .go(.head(layer: layer, head: column))
        default:
            guard let row = ListMotion.row(after: action, count: count, from: layer, rows: layers, visible: layers) else { return nil }
            page.layer = row
        }
        state.patchingPage = page
        return .redraw
    }

    /// Columns of one cell, and the window of columns on screen (a page of them holding the cursor).
    static func cellWidth(_ state: ExplorerState, width: Int) -> Int {
        let n = max(1, columnCount(state))
        return max(2, min(7, (width - labelWidth) / n))
    }

    static func window(_ state: ExplorerState, width: Int) -> Range<Int> {
        let n = columnCount(state)
        guard n > 0 else { return 0..<0 }
        let visible = max(1, min(n, (width - labelWidth) / cellWidth(state, width: width)))
        let first = min(cursor(state).column / visible * visible, n - visible)
        return first..<(first + visible)
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        let p = canvas.palette
        let t = target(state)
        let kind = t.isPerPosition ? "layer × position" : "layer × head (output at every position)"
        var x = canvas.put("Activation patching · \(t.rawValue) · \(kind)", x: 0, y: 0, style: p.heading)
        let others = targets(state).filter { $0 != t }.map(\.rawValue).joined(separator: " ")
        canvas.put("   s: \(others)", x: x, y: 0, style: p.dim)
        if let blocker = blocker(state) {
            canvas.put(blocker, x: 0, y: 2, style: p.warning)
            guideLines(state, y: 4, into: &canvas)
            return
        }
        guard let request = request(state) else {
            canvas.put("\(Spinner.frame(state.spinnerFrame)) running the clean and corrupted prompts…", x: 0, y: 2, style: p.dim)
            return
        }
        if let failure = state.results.failure(request) {
            canvas.put("cannot patch: \(failure)", x: 0, y: 2, style: p.warning)
            return
        }
        guard let cells = cells(state), case .patching(_, let question) = request else {
            canvas.put("\(Spinner.frame(state.spinnerFrame)) running the clean and corrupted prompts…", x: 0, y: 2, style: p.dim)
            return
        }
        let metric = "logit[\(TokenText.quoted(state, question.answer))] − logit[\(TokenText.quoted(state, question.wrong))]"
        x = canvas.put(metric + String(format: ": clean %.4f, corrupted %.4f", Double(cells.cleanLogitDiff),
                                       Double(cells.corruptedLogitDiff)), x: 0, y: 1, style: p.text)
        canvas.put(" · cell = (patched − corrupted) / (clean − corrupted)", x: x, y: 1, style: p.dim)
        let scale = max(1, Double(cells.largestMagnitude))
        x = HeatLegend.draw(signed: true, low: String(format: "%+.2f", -scale), high: String(format: "%+.2f", scale), steps: 4,
                            x: 0, y: 2, into: &canvas)
        let progress = cells.isComplete ? " · \(cells.count) cells" : " · \(cells.filled)/\(cells.count) cells…"
        x += canvas.put(progress, x: x, y: 2, style: cells.isComplete ? p.dim : p.accent)
        canvas.put(" · the corrupted run with one clean activation patched in", x: x, y: 2, style: p.dim)
        let gridBottom = grid(state, cells, top: 3, into: &canvas)
        details(state, cells, question: question, y: gridBottom + 1, into: &canvas)
    }

    /// Column headers, then one row per layer; returns the row after the grid.
    private static func grid(_ state: ExplorerState, _ cells: PatchingCells, top: Int, into canvas: inout Canvas) -> Int {
        let p = canvas.palette
        let t = target(state), cw = cellWidth(state, width: canvas.width)
        let columns = window(state, width: canvas.width), (cl, cc) = cursor(state)
        let scale = max(1, cells.largestMagnitude)
        var y = top
        if t.isPerPosition, let clean = state.run {
            let corrupted = state.currentCorruptedRun
            // Position numbers where they fit, then the clean tokens (differing ones highlighted).
            let digits = String(max(0, columns.upperBound - 1)).count
            let step = [1, 2, 5, 10, 20, 50, 100, 500].first { $0 * cw > digits } ?? 1000
            for (j, q) in columns.enumerated() where q % step == 0 || q == cc {
                canvas.put(String(q), x: labelWidth + j * cw, y: y, style: q == cc ? p.accent.with(bold: true) : p.dim)
            }
            y += 1
            for (j, q) in columns.enumerated() {
                let differs = corrupted.map { q < $0.count && $0.tokens[q] != clean.tokens[q] } ?? false
                let style = q == cc ? p.selection : (differs ? p.warning : p.token)
                canvas.put(AttentionHeatmap.abbreviated(clean.tokenTexts[q], cw - (cw > 2 ? 1 : 0)), x: labelWidth + j * cw, y: y,
                           style: style)
            }
            if columns.lowerBound > 0 { canvas.put("◀", x: labelWidth - 2, y: y, style: p.dim) }
            if columns.upperBound < clean.count { canvas.put("▶", x: labelWidth + columns.count * cw, y: y, style: p.dim) }
        } else {
            for (j, h) in columns.enumerated() {
                canvas.put(DisplayWidth.fit("H\(h)", cw), x: labelWidth + j * cw, y: y, style: h == cc ? p.accent.with(bold: true) : p.dim)
            }
        }
        y += 1
        let rows = max(1, canvas.height - y - 4)
        let first = ListMotion.firstRow(cursor: cl, rows: cells.layers, visible: rows)
        for l in first..<min(cells.layers, first + rows) {
            canvas.put("L\(l)", x: 0, y: y, style: l == cl ? p.accent.with(bold: true) : p.dim)
            for (j, c) in columns.enumerated() {
                let v = cells.normalized(layer: l, column: c)
                let inside = cw >= 6 && p.hasColor && v.isFinite ? String(format: "%+.2f", Double(v)) : nil
                var cell = p.heat(Double(v / scale), signed: true)
                let x = labelWidth + j * cw
                for dx in 0..<(cw > 2 ? cw - 1 : cw) { canvas.set(x + dx, y, cell) }
                if let inside { canvas.put(inside, x: x, y: y, style: cell.style, limit: cw - 1) }
                if l == cl && c == cc {
                    cell.text = "◆"
                    cell.style = cell.style.with(bold: true, reverse: !p.hasColor)
                    canvas.set(x + (cw > 2 ? cw - 2 : cw - 1) / 2, y, cell)
                }
            }
            y += 1
        }
        return y
    }

    /// The cursor cell: what it patches, its value and the patched logit difference.
    private static func details(_ state: ExplorerState, _ cells: PatchingCells, question: PatchingQuestion, y: Int,
                                into canvas: inout Canvas) {
        let p = canvas.palette
        let (l, c) = cursor(state)
        let t = target(state)
        var what: String
        if t.isPerPosition, let clean = state.run {
            let corrupted = question.corrupted[c]
            what = "\(t.rawValue) L\(l) pos \(c) '\(clean.tokenTexts[c])'"
            if corrupted != question.clean[c] { what += " (corrupted '\(state.vocabulary.display(corrupted))')" }
        } else {
            what = "heads L\(l)H\(c)"
        }
        canvas.put("cursor " + what, x: 0, y: y, style: p.heading)
        let v = cells.normalized(layer: l, column: c)
        if v.isFinite {
            let raw = cells.patchedLogitDiff(layer: l, column: c)
            canvas.put(String(format: "value %.4f · patched logit difference %.4f", Double(v), Double(raw)), x: 0, y: y + 1,
                       style: p.text)
        } else {
            canvas.put("\(Spinner.frame(state.spinnerFrame)) not computed yet", x: 0, y: y + 1, style: p.dim)
        }
        canvas.put(t.isPerPosition ? "Enter opens layer \(l)'s heads · h/l position · j/k layer"
                                   : "Enter opens head L\(l)H\(c) · h/l head · j/k layer", x: 0, y: y + 2, style: p.dim)
        if state.ablations.contains(where: \.enabled) {
            canvas.put("the ablations are not applied here: patching runs the plain model, as mechscope patch does",
                       x: 0, y: y + 3, style: p.warning)
        }
    }

    /// What the page needs, when something is missing.
    private static func guideLines(_ state: ExplorerState, y: Int, into canvas: inout Canvas) {
        let p = canvas.palette
        let lines = [
            "The clean prompt is the one in the title (p edits it); the corrupted one changes a token or two.",
            "Each cell patches one clean activation into the corrupted run (as mechscope patch --json does).",
            "The answer (Enter on the next-token page, :answer) and the wrong token (w, :wrong) are shared by both prompts.",
        ]
        for (i, line) in lines.enumerated() { canvas.put(line, x: 0, y: y + i, style: p.dim) }
    }
}

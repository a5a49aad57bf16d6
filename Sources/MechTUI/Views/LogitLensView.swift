import Foundation
import MechAnalysis

/// The residual stream through the logit lens: a layers × positions grid, each cell the top token
/// read off that layer's residual (final norm recomputed, then the unembedding), shaded by its
/// probability. Only the positions on screen are computed. The cursor cell lists its top-k, and
/// the answer's rank and probability through the layers at the cursor's position.
public enum LogitLensView: PageView {
    static let labelWidth = 11

    /// Rows of the grid: the residual before each layer, then the final one.
    static func entryLabels(_ state: ExplorerState) -> [String] {
        (0..<state.model.layers).map { ResidualComponent.residPre($0).label } + [ResidualComponent.finalPost.label]
    }

    static func cursorRow(_ state: ExplorerState) -> Int { min(state.model.layers, state.lensPage.row ?? state.model.layers) }

    static func cursorPosition(_ state: ExplorerState) -> Int {
        let n = state.run?.count ?? 1
        return min(n - 1, state.lensPage.position ?? n - 1)
    }

    static func cellWidth(_ width: Int) -> Int { width >= 120 ? 10 : 8 }

    /// The positions on screen: a window of columns that holds the cursor.
    static func window(_ state: ExplorerState) -> Range<Int> {
        let n = state.run?.count ?? 0
        guard n > 0 else { return 0..<0 }
        let width = state.layout.main.width
        let visible = min(n, max(1, (width - labelWidth) / cellWidth(width)))
        let cursor = cursorPosition(state)
        var first = min(state.lensPage.firstColumn, cursor)
        if cursor >= first + visible { first = cursor - visible + 1 }
        first = max(0, min(first, n - visible))
        return first..<(first + visible)
    }

    static func gridRequest(_ state: ExplorerState) -> AnalysisRequest { .lens(positions: Array(window(state)), target: nil) }

    static func targetRequest(_ state: ExplorerState) -> AnalysisRequest? {
        state.effectiveAnswer.map { .lens(positions: [cursorPosition(state)], target: $0) }
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] {
        [gridRequest(state)] + (targetRequest(state).map { [$0] } ?? [])
            + (differenceRequests(state).map { [$0.clean, $0.corrupted] } ?? [])
    }

    /// The compare view's difference: the answer read at every cell on screen, on both runs.
    static func differenceRequests(_ state: ExplorerState) -> (clean: AnalysisRequest, corrupted: AnalysisRequest)? {
        guard state.showsDifference, let answer = state.effectiveAnswer else { return nil }
        let request = AnalysisRequest.lens(positions: Array(window(state)), target: answer)
        return (request, .onCorrupted(request))
    }

    /// p(answer) in the corrupted run minus the clean run at one cell, once both are computed.
    static func answerDelta(_ state: ExplorerState, entry: Int, position: Int) -> Float? {
        guard let (c, k) = differenceRequests(state), case .lens(let clean)? = state.results[c],
              case .lens(let corrupted)? = state.corruptedResults[k.unwrapped.request],
              let i = clean.positions.firstIndex(of: position), corrupted.positions == clean.positions else { return nil }
        return corrupted.reading(entry: entry, positionIndex: i).targets[0].probability
            - clean.reading(entry: entry, positionIndex: i).targets[0].probability
    }

    static func lens(_ state: ExplorerState, _ request: AnalysisRequest?) -> LogitLensResult? {
        guard let request, case .lens(let result)? = state.results[request] else { return nil }
        return result
    }

    /// The reading under the cursor, from the grid's result or the cursor column's own.
    static func cursorReading(_ state: ExplorerState) -> LogitLensReading? {
        let row = cursorRow(state), position = cursorPosition(state)
        for result in [lens(state, gridRequest(state)), lens(state, targetRequest(state))].compactMap({ $0 }) {
            if let i = result.positions.firstIndex(of: position), row < result.readings.count {
                return result.reading(entry: row, positionIndex: i)
            }
        }
        return nil
    }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        guard let run = state.run else { return nil }
        let entries = state.model.layers + 1
        var page = state.lensPage
        page.firstColumn = window(state).lowerBound       // the window on screen is where scrolling starts
        let position = cursorPosition(state), columns = window(state).count
        switch action {
        case .moveLeft: page.position = max(0, position - count)
        case .moveRight: page.position = min(run.count - 1, position + count)
        case .pageDown: page.position = min(run.count - 1, position + columns * count)
        case .pageUp: page.position = max(0, position - columns * count)
        case .setAnswer, .open:
            guard let top = cursorReading(state)?.top.first else {
                return .message(StatusMessage("the lens is still computing this cell"))
            }
            return .setAnswer(top.tokenID)
        default:
            guard let row = ListMotion.row(after: action, count: count, from: cursorRow(state), rows: entries,
                                           visible: entries) else { return nil }
            page.row = row
        }
        state.lensPage = page
        state.lensPage.firstColumn = window(state).lowerBound
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette
        let difference = state.showsDifference
        let x = canvas.put(difference ? "Logit lens · Δ p(\(state.effectiveAnswer.map { TokenText.quoted(state, $0) } ?? "")) "
                                        + "corrupted − clean by layer (diverging)"
                                      : "Logit lens · top token by layer (shade: probability)", x: 0, y: 0, style: p.heading)
        if let marker = RunMarker.text(state) { canvas.put(" · " + marker, x: x, y: 0, style: p.warning) }
        // The difference's legend after the hints (shortened where both do not fit).
        let legend = difference ? HeatLegend.width(signed: true, low: "  -100%", high: "+100%", steps: 4, palette: p) : 0
        let long = "h/j/k/l cell · Enter: its top token becomes the answer"
        let hints = canvas.put(DisplayWidth.of(long) + legend <= canvas.width ? long : "h/j/k/l cell", x: 0, y: 1, style: p.dim)
        if difference {
            HeatLegend.draw(signed: true, low: "  -100%", high: "+100%", steps: 4, x: hints, y: 1, into: &canvas)
        }
        let columns = window(state), width = cellWidth(canvas.width)
        let labels = entryLabels(state)
        let grid = lens(state, gridRequest(state))
        let row = cursorRow(state), position = cursorPosition(state)

        // Column headers: the position, and the token the residual sits on.
        for (k, q) in columns.enumerated() {
            let x = labelWidth + k * width
            let style = q == position ? p.accent.with(bold: true) : p.dim
            canvas.put(DisplayWidth.fit("\(q)", width - 1), x: x, y: 2, style: style)
            canvas.put(DisplayWidth.fit(TokenText.visible(run.tokenTexts[q]), width - 1), x: x, y: 3,
                       style: q == position ? p.token.with(bold: true) : p.token)
        }
        if columns.lowerBound > 0 { canvas.put("◀", x: labelWidth - 2, y: 3, style: p.dim) }
        if columns.upperBound < run.count { canvas.put("▶ \(run.count - columns.upperBound)", x: 0, y: 2, style: p.dim) }

        let detailRows = canvas.height >= 20 ? 7 : 3
        let room = max(1, canvas.height - 4 - detailRows)
        // Two lines a row (the probability under the token) when the screen is tall enough.
        let step = room >= 2 * labels.count ? 2 : 1
        let gridRows = min(labels.count, max(1, room / step))
        let firstRow = ListMotion.firstRow(cursor: row, rows: labels.count, visible: gridRows)
        for i in 0..<gridRows where firstRow + i < labels.count {
            let e = firstRow + i, y = 4 + i * step
            canvas.put(DisplayWidth.fit(labels[e], labelWidth), x: 0, y: y, style: e == row ? p.accent.with(bold: true) : p.dim)
            for (k, q) in columns.enumerated() {
                let x = labelWidth + k * width
                if difference {
                    drawDelta(answerDelta(state, entry: e, position: q), selected: e == row && q == position, x: x, y: y,
                              width: width, into: &canvas)
                    continue
                }
                let reading = grid.flatMap { g in g.positions.firstIndex(of: q).map { g.reading(entry: e, positionIndex: $0) } }
                drawCell(reading, state: state, selected: e == row && q == position, x: x, y: y, width: width, into: &canvas)
                if step == 2, let top = reading?.top.first {
                    canvas.put(NumberText.percent(top.probability), x: x + (p.hasColor ? 0 : 1), y: y + 1, style: p.dim,
                               limit: width - 2)
                }
            }
        }
        let detailsY = 4 + gridRows * step + (step == 2 ? 0 : 1)
        details(state, y: detailsY, into: &canvas)
    }

    /// One grid cell: the top token on its probability's heat (in monochrome a shade character first).
    static func drawCell(_ reading: LogitLensReading?, state: ExplorerState, selected: Bool, x: Int, y: Int, width: Int,
                         into canvas: inout Canvas) {
        let p = canvas.palette
        guard let top = reading?.top.first else {
            canvas.put(DisplayWidth.fit("·", width - 1), x: x, y: y, style: selected ? p.selection : p.dim)
            return
        }
        let heat = p.heat(Double(top.probability))
        let text = TokenText.visible(state.vocabulary.display(top.tokenID))
        if p.hasColor {
            let style = selected ? p.selection.with(bold: true) : heat.style
            canvas.put(DisplayWidth.fit(text, width - 1), x: x, y: y, style: style)
        } else {
            canvas.set(x, y, heat)
            canvas.put(DisplayWidth.fit(text, width - 2), x: x + 1, y: y, style: selected ? p.selection.with(bold: true) : .plain)
        }
    }

    /// One difference cell: the change of the answer's probability as a signed percentage on the
    /// diverging scale (a dim "·" until both runs' readings are in).
    static func drawDelta(_ delta: Float?, selected: Bool, x: Int, y: Int, width: Int, into canvas: inout Canvas) {
        let p = canvas.palette
        guard let delta else {
            canvas.put(DisplayWidth.fit("·", width - 1), x: x, y: y, style: selected ? p.selection : p.dim)
            return
        }
        let text = String(format: "%+.1f%%", Double(delta) * 100)
        let heat = p.heat(Double(delta), signed: true)
        if p.hasColor {
            canvas.put(DisplayWidth.fit(text, width - 1), x: x, y: y, style: selected ? p.selection.with(bold: true) : heat.style)
        } else {
            canvas.set(x, y, heat)
            canvas.put(DisplayWidth.fit(text, width - 2), x: x + 1, y: y, style: selected ? p.selection.with(bold: true) : .plain)
        }
    }

    /// Under the grid: the cursor cell's top-k, and the answer's rank and probability through the layers.
    static func details(_ state: ExplorerState, y: Int, into canvas: inout Canvas) {
        guard state.run != nil, y < canvas.height else { return }
        let p = canvas.palette, labels = entryLabels(state)
        let row = cursorRow(state), position = cursorPosition(state)
        let sideBySide = canvas.width >= 60
        let leftWidth = sideBySide ? min(34, canvas.width / 2) : min(34, canvas.width)
        canvas.put("top 5 at \(labels[row]), pos \(position)", x: 0, y: y, style: p.heading, limit: leftWidth - 2)
        var ty = y + 1
        if let reading = cursorReading(state) {
            for (i, t) in reading.top.enumerated() where ty < canvas.height {
                let text = DisplayWidth.rightAligned("\(i + 1)", 2) + " " + DisplayWidth.fit("'\(state.vocabulary.display(t.tokenID))'", leftWidth - 12)
                    + DisplayWidth.rightAligned(NumberText.percent(t.probability), 7)
                canvas.put(text, x: 0, y: ty, style: p.text, limit: leftWidth - 1)
                ty += 1
            }
        } else {
            canvas.put("\(Spinner.frame(state.spinnerFrame)) computing…", x: 0, y: ty, style: p.dim)
            ty += 1
        }
        guard let answer = state.effectiveAnswer else { return }
        let x0 = sideBySide ? leftWidth : 0
        var y0 = sideBySide ? y : ty + 1
        guard y0 < canvas.height else { return }
        let who = state.answer == nil ? " (top-1)" : ""
        canvas.put("answer '\(state.vocabulary.display(answer))'\(who) by layer", x: x0, y: y0, style: p.heading)
        y0 += 1
        guard let target = lens(state, targetRequest(state)) else {
            canvas.put("\(Spinner.frame(state.spinnerFrame)) computing…", x: x0, y: y0, style: p.dim)
            return
        }
        let room = canvas.height - y0
        let first = ListMotion.firstRow(cursor: row, rows: labels.count, visible: room)
        for i in 0..<room where first + i < labels.count {
            let e = first + i, t = target.reading(entry: e, positionIndex: 0).targets[0]
            let text = DisplayWidth.fit(labels[e], labelWidth) + DisplayWidth.rightAligned("rank \(t.rank + 1)", 12)
                + DisplayWidth.rightAligned(NumberText.percent(t.probability), 8)
            canvas.put(text, x: x0, y: y0 + i, style: e == row ? p.accent.with(bold: true) : p.text)
        }
    }
}

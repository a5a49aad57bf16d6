import Foundation
import MechAnalysis

/// Direct logit attribution to the answer (minus the wrong token when one is chosen) at the last
/// position, per component or per head, as signed bars around a zero axis, with their total and
/// the logit (difference) it adds up to once the unembedding bias is counted.
public enum AttributionView: PageView {
    static func request(_ state: ExplorerState) -> AnalysisRequest? {
        state.logitTarget.map { .attribution(state.attributionPage.unit, target: $0) }
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] { request(state).map { [$0] } ?? [] }

    static func result(_ state: ExplorerState) -> DirectLogitAttributionResult? { value(state)?.result }

    static func value(_ state: ExplorerState) -> (result: DirectLogitAttributionResult, logit: Float)? {
        guard let r = request(state), case .attribution(let result, let logit)? = state.results[r] else { return nil }
        return (result, logit)
    }

    /// The rows in display order, as (index into the result's components, value).
    static func rows(_ state: ExplorerState) -> [(index: Int, value: Float)]? {
        guard let result = result(state) else { return nil }
        let column = result.column(positionIndex: 0)
        let rows = column.enumerated().map { (index: $0.offset, value: $0.element) }
        guard state.attributionPage.sorted else { return rows }
        return rows.sorted { abs($0.value) > abs($1.value) || (abs($0.value) == abs($1.value) && $0.index < $1.index) }
    }

    static let listTop = 5

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        var page = state.attributionPage
        switch action {
        case .cycleAttributionUnit:
            page.unit = page.unit == .component ? .head : .component
            page.row = 0
        case .toggleOrder:
            page.sorted.toggle()
            page.row = 0
        case .open:
            guard let rows = rows(state), let result = result(state), !rows.isEmpty else { return PageOutcome.none }
            return target(of: result.components[rows[min(page.row, rows.count - 1)].index], state)
        default:
            guard let row = ListMotion.row(after: action, count: count, from: page.row, rows: rows(state)?.count ?? 0,
                                           visible: max(1, state.layout.main.height - listTop)) else { return nil }
            page.row = row
        }
        state.attributionPage = page
        return .redraw
    }

    /// Where Enter on a row leads: a head to its page, a layer's attention to its heads, its MLP
    /// to its neurons, the embeddings to the token table.
    static func target(of component: ResidualComponent, _ state: ExplorerState) -> PageOutcome {
        switch component {
        case .head(let l, let h): return .go(.head(layer: l, head: h))
        case .attnOut(let l), .attnBias(let l): return .go(.layer(l))
        case .mlpOut(let l): return .go(state.model.hasMLP ? .neurons(layer: l) : .layer(l))
        case .embed, .posEmbed: return .go(.embed)
        default: return .message(StatusMessage("\(component.label) is everything not listed: nothing to open"))
        }
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette, page = state.attributionPage
        guard let target = state.logitTarget else {
            canvas.put("Direct logit attribution: no answer token (choose one on the next-token page, t)", x: 0, y: 0, style: p.warning)
            return
        }
        let last = run.count - 1
        let what = TokenText.quoted(state, target.answer) + (target.wrong.map { " − " + TokenText.quoted(state, $0) } ?? "")
        let x = canvas.put("DLA to \(what) at \(last) '\(run.tokenTexts[last])' · per \(page.unit.rawValue)", x: 0, y: 0, style: p.heading)
        if let marker = RunMarker.text(state) { canvas.put(" · " + marker, x: x, y: 0, style: p.warning) }
        canvas.put("s component/head · o order: " + (page.sorted ? "by size" : "model") + " · Enter opens",
                   x: 0, y: 1, style: p.dim)
        guard let (result, logit) = value(state), let rows = rows(state) else {
            let failure = request(state).flatMap { state.results.failure($0) }
            canvas.put(failure.map { "cannot compute: \($0)" } ?? "\(Spinner.frame(state.spinnerFrame)) computing…",
                       x: 0, y: 3, style: failure == nil ? p.dim : p.warning)
            return
        }
        let total = result.total()
        summary(result: result, total: total, logit: logit, into: &canvas)

        let labelWidth = 12, valueWidth = 8
        let barRoom = max(2, canvas.width - labelWidth - valueWidth - 2)
        let half = barRoom / 2, axis = labelWidth + valueWidth + 1 + half
        let scale = rows.map { abs($0.value) }.max() ?? 0
        canvas.put(DisplayWidth.fit(page.sorted ? "by |value|" : "model order", labelWidth + valueWidth), x: 0, y: 4, style: p.dim)
        canvas.put("−", x: axis - 2, y: 4, style: p.negative)
        canvas.put("│", x: axis, y: 4, style: p.dim)
        canvas.put("+", x: axis + 2, y: 4, style: p.positive)
        let visible = max(0, canvas.height - listTop)
        let cursor = min(page.row, rows.count - 1)
        let first = ListMotion.firstRow(cursor: cursor, rows: rows.count, visible: visible)
        for i in 0..<visible where first + i < rows.count {
            let (index, value) = rows[first + i], y = listTop + i
            let selected = first + i == cursor
            if selected { canvas.line("", y: y, style: p.selection) }
            let base = selected ? p.selection : p.text
            canvas.put(DisplayWidth.fit(result.components[index].label, labelWidth), x: 0, y: y,
                       style: selected ? base.with(bold: true) : p.accent)
            canvas.put(DisplayWidth.rightAligned(NumberText.signed(value), valueWidth), x: labelWidth, y: y, style: base)
            let length = scale > 0 ? BarCells.count(Double(abs(value) / scale), of: half) : 0
            let positive = value >= 0
            let bar = String(repeating: positive ? "█" : "▒", count: length)
            canvas.put("│", x: axis, y: y, style: selected ? base : p.dim)
            canvas.put(bar, x: positive ? axis + 1 : axis - length, y: y, style: positive ? p.positive : p.negative)
        }
    }

    /// The total of the bars, and the logit (difference) it adds up to with the unembedding bias.
    static func summary(result: DirectLogitAttributionResult, total: Float, logit: Float, into canvas: inout Canvas) {
        let p = canvas.palette, direction = result.direction
        let name = direction.wrong == nil ? "logit (centred)" : "logit difference"
        canvas.put("total \(NumberText.signed(total)) · \(name) \(NumberText.signed(logit))", x: 0, y: 2, style: p.text)
        let note = "\(name) − total = unembedding bias \(NumberText.signed(direction.bias))"
        canvas.put(note + (canvas.width >= 90 ? " · cached final-norm scale (TransformerLens)" : ""), x: 0, y: 3, style: p.dim)
    }
}

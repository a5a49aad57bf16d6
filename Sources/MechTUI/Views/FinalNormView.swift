import Foundation
import MechAnalysis

/// The end of the residual stream, per position: the final residual's norm, the final norm's scale
/// (`ln_final.hook_scale`, when the model has a final norm) and the token the model's output
/// predicts there (the lens's last entry, computed for the rows on screen only).
public enum FinalNormView: PageView {
    static let listTop = 4

    static func visibleRows(_ state: ExplorerState) -> Int { max(1, state.layout.main.height - listTop) }

    /// The positions on screen.
    static func window(_ state: ExplorerState) -> Range<Int> {
        let n = state.run?.count ?? 0
        guard n > 0 else { return 0..<0 }
        let visible = min(n, visibleRows(state))
        let first = ListMotion.firstRow(cursor: min(state.finalNormPage.row, n - 1), rows: n, visible: visible)
        return first..<(first + visible)
    }

    static func request(_ state: ExplorerState) -> AnalysisRequest? {
        let rows = window(state)
        return rows.isEmpty ? nil : .finalReadout(positions: Array(rows))
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] { request(state).map { [$0] } ?? [] }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        guard let run = state.run else { return nil }
        if action == .open {
            state.lensPage.position = min(state.finalNormPage.row, run.count - 1)
            state.lensPage.row = nil
            return .go(.lens)
        }
        guard let row = ListMotion.row(after: action, count: count, from: state.finalNormPage.row, rows: run.count,
                                       visible: visibleRows(state)) else { return nil }
        state.finalNormPage.row = row
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette, m = state.model
        let final = run.result.cache[.residPost(m.layers - 1)]
        let scale = m.hasFinalNorm ? run.result.cache[.lnFinalScale] : nil
        canvas.put("Final norm · the residual the unembedding reads", x: 0, y: 0, style: p.heading)
        canvas.put(m.hasFinalNorm ? "scale = ln_final.hook_scale · Enter: logit lens here"
                                  : "no final norm: the unembedding reads the residual",
                   x: 0, y: 1, style: m.hasFinalNorm ? p.dim : p.warning)
        let tokenWidth = min(24, max(8, canvas.width - 50))
        let header = DisplayWidth.rightAligned("pos", 4) + "  " + DisplayWidth.fit("token", tokenWidth)
            + DisplayWidth.rightAligned("‖resid‖", 10) + DisplayWidth.rightAligned(m.hasFinalNorm ? "scale" : "", 9)
            + "  predicts"
        canvas.put(header, x: 0, y: 3, style: p.dim)
        let readings: [LogitLensReading]?
        if let r = request(state), case .readout(let values)? = state.results[r] { readings = values } else { readings = nil }
        let rows = window(state), cursor = min(state.finalNormPage.row, run.count - 1)
        for (i, q) in rows.enumerated() {
            let y = listTop + i, selected = q == cursor
            var text = DisplayWidth.rightAligned("\(q)", 4) + "  " + DisplayWidth.fit("'\(run.tokenTexts[q])'", tokenWidth)
                + DisplayWidth.rightAligned(RowNorm.of(final, row: q).map(NumberText.value) ?? "—", 10)
            let scaleText = scale.flatMap { q < $0.count ? NumberText.value($0.pointer[q]) : nil } ?? ""
            text += DisplayWidth.rightAligned(scaleText, 9) + "  "
            if selected { canvas.line("", y: y, style: p.selection) }
            let used = canvas.put(text, x: 0, y: y, style: selected ? p.selection : p.text)
            if let top = readings?[i].top.first {
                let room = min(14, max(5, canvas.width - used - 7))
                let predicted = DisplayWidth.fit("'\(state.vocabulary.display(top.tokenID))'", room) + " "
                    + DisplayWidth.rightAligned(NumberText.percent(top.probability), 6)
                canvas.put(predicted, x: used, y: y, style: selected ? p.selection : p.accent)
            } else {
                canvas.put("·", x: used, y: y, style: p.dim)
            }
        }
    }
}

import Foundation
import MechTensor

/// The prompt's tokens as the tokenizer split them, one row each: position, text (spaces and
/// newlines visible), id, and the norms of the token and position embeddings the model added;
/// the BOS token is marked. Enter opens the logit lens at the row's position.
public enum EmbeddingView: PageView {
    static let listTop = 4

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        guard let run = state.run else { return nil }
        if action == .open, state.model.hasLMHead {
            state.lensPage.position = min(state.embedPage.row, run.count - 1)
            return .go(.lens)
        }
        guard let row = ListMotion.row(after: action, count: count, from: state.embedPage.row, rows: run.count,
                                       visible: max(1, state.layout.main.height - listTop)) else { return nil }
        state.embedPage.row = row
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette
        let bos = run.prependBOS ? "BOS prepended" : "no BOS"
        canvas.put("\(run.count) tokens as split · \(bos) (B toggles)", x: 0, y: 0, style: p.heading)
        // An encoder's embeddings are BertEmbed's (embed.hook_embed …), summed with token types and LayerNormed.
        let encoder = run.result.cache[.encoderEmbed] != nil
        canvas.put("norms over d_model \(state.model.dModel) · "
                   + (encoder ? "word and position embeddings, before the embedding LayerNorm" : "Enter: logit lens here"),
                   x: 0, y: 1, style: p.dim)
        let embed = run.result.cache[encoder ? .encoderEmbed : .embed]
        let positional = run.result.cache[encoder ? .encoderPosEmbed : .posEmbed]
        let tokenWidth = min(30, max(12, canvas.width - 44))
        let header = DisplayWidth.rightAligned("pos", 4) + "  " + DisplayWidth.fit("token", tokenWidth)
            + DisplayWidth.rightAligned("id", 7) + DisplayWidth.rightAligned("‖embed‖", 10)
            + DisplayWidth.rightAligned("‖pos‖", 10)
        canvas.put(header, x: 0, y: 3, style: p.dim)
        let barX = DisplayWidth.of(header) + 6
        let barWidth = max(0, min(24, canvas.width - barX))
        if barWidth >= 7 { canvas.put("‖embed‖", x: barX, y: 3, style: p.dim) }
        let visible = max(0, canvas.height - listTop)
        let cursor = min(state.embedPage.row, run.count - 1)
        let first = ListMotion.firstRow(cursor: cursor, rows: run.count, visible: visible)
        // Norms of the rows on screen only (a long prompt's cache is not walked every frame).
        let shown = first..<min(run.count, first + visible)
        let embedNorms = Dictionary(uniqueKeysWithValues: shown.map { ($0, RowNorm.of(embed, row: $0)) })
        let maxNorm = embedNorms.values.compactMap { $0 }.max() ?? 0
        for i in 0..<visible where first + i < run.count {
            let q = first + i, y = listTop + i, id = run.tokens[q]
            let selected = q == cursor
            let isBOS = id == state.model.bosToken || (run.prependBOS && q == 0)
            let text = DisplayWidth.rightAligned("\(q)", 4) + "  " + DisplayWidth.fit("'\(run.tokenTexts[q])'", tokenWidth)
                + DisplayWidth.rightAligned("\(id)", 7)
                + DisplayWidth.rightAligned(embedNorms[q]?.map(NumberText.value) ?? "—", 10)
                + DisplayWidth.rightAligned(RowNorm.of(positional, row: q).map(NumberText.value) ?? "—", 10)
            if selected { canvas.line("", y: y, style: p.selection) }
            let used = canvas.put(text, x: 0, y: y, style: selected ? p.selection : p.text)
            if isBOS { canvas.put(" BOS", x: used, y: y, style: (selected ? p.selection : p.warning).with(bold: true)) }
            if barWidth > 0, let norm = embedNorms[q] ?? nil, maxNorm > 0 {
                let filled = BarCells.count(Double(norm / maxNorm), of: barWidth)
                canvas.put(String(repeating: "▬", count: filled), x: barX, y: y, style: selected ? p.selection : p.positive)
            }
        }
    }
}

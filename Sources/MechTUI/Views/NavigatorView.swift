/// The navigator pane: the model as a tree, the current row highlighted.
enum NavigatorView {
    static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        let p = canvas.palette
        var nav = state.navigator
        let rows = nav.rows
        let focused = state.focus == .navigator
        canvas.line(focused ? "▌Model" : " Model", y: 0, style: p.heading)
        let height = canvas.height - 1
        nav.scrollToCursor(height: height)
        for i in 0..<height {
            let index = nav.scroll + i
            guard index < rows.count else { break }
            let row = rows[index]
            let selected = index == nav.cursor
            let current = row.page == state.page
            let style = selected && focused ? p.selection : (current ? p.accent.with(bold: true) : p.text)
            canvas.line(label(row, state), y: i + 1, style: selected && focused ? p.selection : .plain)
            canvas.put(label(row, state), x: 0, y: i + 1, style: style)
        }
    }

    static func label(_ row: NavigatorState.Row, _ state: ExplorerState) -> String {
        let nav = state.navigator
        switch row {
        case .atlas: return " ▦ head atlas"
        case .embed: return " ▸ embed"
        case .layer(let l): return (nav.expanded.contains(l) ? " ▾ " : " ▸ ") + "L\(l)"
        case .attention: return "    attn · \(state.model.heads) heads"
        case .head(let l, let h): return "      L\(l)H\(h)"
        case .mlp: return "    mlp · \(state.model.dMLP) neurons"
        case .finalNorm: return state.model.hasFinalNorm ? " ▸ final norm" : " ▸ final resid"
        case .unembed: return " ▸ unembed · next token"
        case .lens: return " ≡ logit lens"
        case .attribution: return " ± attribution"
        case .patching: return " ⇄ patching"
        }
    }
}

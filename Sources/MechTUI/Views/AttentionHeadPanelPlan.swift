/// Where the attention-head page's panel puts its two parts, inside `AttentionHeadLayout.panel`:
/// what the cursor's query attends to, and the head's summary (scores, OV/QK circuits, copying
/// score, compositions). Beside the heatmap they stack; below it they sit side by side when the
/// width holds two columns, else stack. The summary pages with `J`/`K` (`HeadPageState.summaryScroll`)
/// where its rows do not hold it, so all of it is reachable at any size.
struct AttentionHeadPanelPlan {
    let attention: PanelLines
    let summary: PanelLines
    /// The summary's rows, relative to the panel.
    let summaryArea: Rect

    init(_ state: ExplorerState, _ matrix: HeadMatrix, layer: Int, head: Int, layout: AttentionHeadLayout) {
        let r = layout.panel
        if layout.panelBeside {
            attention = AttentionHeadPanel.attention(state, matrix, width: r.width, keys: min(8, max(3, r.height / 3)))
            let y = min(r.height, attention.lines.count + 1)
            summaryArea = Rect(x: 0, y: y, width: r.width, height: r.height - y)
        } else {
            let keys = max(1, min(8, r.height - (state.headPage.showScores ? 3 : 2)))
            if r.width >= 2 * 28 + 2 {
                let left = r.width / 2 - 1
                attention = AttentionHeadPanel.attention(state, matrix, width: left, keys: keys)
                summaryArea = Rect(x: left + 2, y: 0, width: r.width - left - 2, height: r.height)
            } else {
                attention = AttentionHeadPanel.attention(state, matrix, width: r.width, keys: keys)
                let y = min(r.height, attention.lines.count)
                summaryArea = Rect(x: 0, y: y, width: r.width, height: r.height - y)
            }
        }
        summary = AttentionHeadPanel.circuits(state, layer: layer, head: head, width: summaryArea.width)
    }

    /// The summary's first line after paging `count` pages down (negative: up), kept in range.
    func scrolled(from scroll: Int, pages count: Int) -> Int {
        let rows = summaryArea.height
        let next = max(0, min(scroll, summary.maxScroll(rows: rows))) + count * summary.pageLines(rows: rows)
        return max(0, min(summary.maxScroll(rows: rows), next))
    }

    /// Draws both parts into the panel's canvas.
    func draw(_ state: ExplorerState, into canvas: inout Canvas) {
        attention.draw(into: &canvas)
        let keys = (down: Keymap.standard.keyLabel(for: .summaryDown, in: .head) ?? "",
                    up: Keymap.standard.keyLabel(for: .summaryUp, in: .head) ?? "")
        summary.draw(into: &canvas, x: summaryArea.x, y: summaryArea.y, rows: summaryArea.height,
                     scroll: state.headPage.summaryScroll, keys: keys)
    }
}

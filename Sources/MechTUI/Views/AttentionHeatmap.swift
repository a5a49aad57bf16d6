/// The query × key heatmap of the attention-head page, drawn where `AttentionHeadLayout` says:
/// query labels down the left, key numbers and abbreviated key tokens across the top, one heat
/// cell per (query, key) — or, zoomed out, half-block cells for two queries a line with keys
/// max-pooled to fit. Masked keys (after the query) stay blank.
enum AttentionHeatmap {
    static func draw(_ state: ExplorerState, _ matrix: HeadMatrix, _ layout: AttentionHeadLayout, into canvas: inout Canvas) {
        if layout.zoomed { drawZoomed(state, matrix, layout, into: &canvas) } else { drawCells(state, matrix, layout, into: &canvas) }
    }

    // MARK: - One query a row

    private static func drawCells(_ state: ExplorerState, _ matrix: HeadMatrix, _ layout: AttentionHeadLayout,
                                  into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette
        let n = matrix.count, cw = layout.cellWidth
        let digits = String(n - 1).count
        let cursor = state.headPage
        let keys = layout.firstKey..<min(n, layout.firstKey + layout.keysShown)
        let numberRows = cw > digits ? 1 : digits
        let tokenRow = layout.headerRows > numberRows
        for (j, k) in keys.enumerated() {
            let x = layout.labelWidth + j * cw
            let style = k == cursor.key ? p.accent.with(bold: true) : p.dim
            if numberRows == 1 {
                canvas.put(DisplayWidth.rightAligned(String(k), cw), x: x, y: 1, style: style)
            } else {
                let text = DisplayWidth.rightAligned(String(k), numberRows)
                for (r, ch) in text.enumerated() { canvas.put(String(ch), x: x + cw - 1, y: 1 + r, style: style) }
            }
            if tokenRow {
                canvas.put(abbreviated(run.tokenTexts[k], cw), x: x, y: layout.headerRows,
                           style: k == cursor.key ? p.selection : p.text)
            }
        }
        let tokenColumns = layout.labelWidth - digits - 1
        for line in 0..<layout.gridLines {
            let q = layout.firstQuery + line
            guard q < n else { break }
            let y = layout.gridTop + line
            let label = DisplayWidth.rightAligned(String(q), digits) + " " + TokenLabel.compact(run.tokenTexts[q], tokenColumns)
            canvas.put(label, x: 0, y: y, style: q == cursor.query ? p.selection : p.text)
            for (j, k) in keys.enumerated() {
                guard let v = matrix.shade(q, k) else { continue }
                var cell = p.heat(v, signed: matrix.isSigned)
                let x = layout.labelWidth + j * cw
                for dx in 0..<cw { canvas.set(x + dx, y, cell) }
                if q == cursor.query && k == cursor.key {
                    cell.text = "◆"
                    cell.style = cell.style.with(bold: true, reverse: !p.hasColor)
                    canvas.set(x + (cw - 1) / 2, y, cell)
                }
            }
        }
    }

    /// A key token in one cell or a few. From three columns it is shown as the query rows show it
    /// (spaces as "·", so ' and' reads "·a…" over its column and "·and" on its row), cut with "…".
    /// One or two columns have no room for the marker and a letter: there its first letters show,
    /// leading spaces dropped (a bare space is "·"), or most GPT-2 tokens would read "·".
    static func abbreviated(_ text: String, _ columns: Int) -> String {
        guard columns <= 2 else { return TokenLabel.compact(text, columns) }
        let trimmed = String(text.drop(while: { $0 == " " }))
        let shown = trimmed.isEmpty ? (text.isEmpty ? "" : "·") : trimmed
        return DisplayWidth.fit(DisplayWidth.prefix(shown, fitting: columns).text, columns)
    }

    // MARK: - Zoomed out: two queries a line, keys pooled

    private static func drawZoomed(_ state: ExplorerState, _ matrix: HeadMatrix, _ layout: AttentionHeadLayout,
                                   into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette
        let n = matrix.count, columns = layout.keyColumns
        let digits = String(n - 1).count
        let cursor = state.headPage
        ruler(tokens: n, columns: columns, x: layout.labelWidth, y: 1, into: &canvas)
        let cursorColumn = (0..<columns).first { c in
            let (lo, hi) = HeadMatrix.span(c, of: columns, over: n)
            return (lo..<hi).contains(cursor.key)
        } ?? 0
        canvas.put("▼", x: layout.labelWidth + cursorColumn, y: 2, style: p.accent.with(bold: true))
        let queries = layout.firstQuery..<min(n, layout.firstQuery + 2 * layout.gridLines)
        let values = matrix.pooled(rows: queries.count, columns: columns, queries: queries)
        HalfBlocks.draw(values, x: layout.labelWidth, y: layout.gridTop, signed: matrix.isSigned, into: &canvas)
        let tokenColumns = layout.labelWidth - 2 * digits - 2
        for line in 0..<((queries.count + 1) / 2) {
            let q0 = queries.lowerBound + 2 * line
            let shown = cursor.query / 2 == q0 / 2 ? cursor.query : q0
            let pair = DisplayWidth.rightAligned(String(q0), digits) + "-"
                + DisplayWidth.fit(q0 + 1 < n ? String(q0 + 1) : "", digits)
            let label = pair + " " + TokenLabel.compact(run.tokenTexts[shown], tokenColumns)
            canvas.put(label, x: 0, y: layout.gridTop + line, style: shown == cursor.query ? p.selection : p.text)
        }
    }

    /// Key positions across `columns` cells: a number at every `step` keys where it fits, the
    /// step chosen so that labels do not collide.
    static func ruler(tokens n: Int, columns: Int, x: Int, y: Int, into canvas: inout Canvas) {
        let width = String(n - 1).count + 1
        let steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]
        let step = steps.first { Double($0) * Double(columns) / Double(n) >= Double(width) } ?? steps.last!
        var free = 0
        for c in 0..<columns {
            let (lo, hi) = HeadMatrix.span(c, of: columns, over: n)
            let mark = (lo + step - 1) / step * step
            let label = String(mark)
            guard mark < hi, c >= free, c + label.count <= columns else { continue }
            canvas.put(label, x: x + c, y: y, style: canvas.palette.dim)
            free = c + label.count + 1
        }
    }
}

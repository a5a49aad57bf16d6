/// Where the attention-head page puts things in a main area of `width` × `height`:
///
///     title · legend                                   (row 0)
///     ┌ labels ┬ key header ┐ ┌ panel ┐                 panel beside the heatmap when it fits
///     │ q rows │ heat cells │ │       │                 (≥ `panelMinimum` columns), else below it
///     └────────┴────────────┘ └───────┘
///
/// Normal mode: one query a row, `cellWidth` (1–3) columns a key, scrolled to keep the cursor in
/// view. Zoomed out: two queries a line (half blocks), one column a key, keys pooled to fit.
struct AttentionHeadLayout {
    static let panelMinimum = 30
    static let panelMaximum = 72

    let tokens: Int
    let zoomed: Bool
    let labelWidth: Int
    /// Columns a key takes (normal mode); 1 when zoomed.
    let cellWidth: Int
    /// Columns of heat cells: keys shown (normal) or pooled key buckets (zoomed).
    let keyColumns: Int
    let headerRows: Int
    /// Lines of heat cells (query rows, or query pairs when zoomed).
    let gridLines: Int
    let panel: Rect
    let panelBeside: Bool
    /// The first query row (normal) or query pair × 2 (zoomed) shown, and the first key shown.
    let firstQuery: Int
    let firstKey: Int

    /// Rows of the heatmap block, from the top of the main area.
    var gridTop: Int { 1 + headerRows }
    /// Keys each zoomed column covers at most (1 when nothing is pooled).
    var keysPerColumn: Int { zoomed ? (tokens + keyColumns - 1) / max(1, keyColumns) : 1 }

    /// `presenting`: the widest cells that fit, the panel below the heatmap (or left out).
    init(width: Int, height: Int, tokenTexts: [String], zoomed: Bool, query: Int, key: Int, presenting: Bool = false) {
        let n = max(1, tokenTexts.count)
        tokens = n
        self.zoomed = zoomed
        let digits = String(n - 1).count
        let longest = tokenTexts.map { DisplayWidth.of($0) }.max() ?? 1
        let label = digits + 1 + min(longest, width >= 120 ? 12 : 6) + (zoomed ? digits + 1 : 0)
        labelWidth = label
        let available = width - label
        let titleRows = 1
        if zoomed {
            cellWidth = 1
            headerRows = 2
            let beside = available - 2 - Self.panelMinimum
            panelBeside = beside >= min(n, 16)
            keyColumns = max(1, min(n, panelBeside ? beside : available))
        } else {
            let fitting = presenting ? nil : (1...3).reversed().first { label + n * $0 + 2 + Self.panelMinimum <= width }
            panelBeside = fitting != nil
            cellWidth = fitting ?? max(1, min(3, available / n))
            keyColumns = max(1, min(n, available / cellWidth)) * cellWidth
            let numberRows = cellWidth > digits ? 1 : digits
            // Below 16 rows the key tokens' row gives way to heat rows (the cursor's key is listed).
            headerRows = numberRows + (height >= 16 ? 1 : 0)
        }
        let lines = zoomed ? (n + 1) / 2 : n
        let heatmapWidth = labelWidth + keyColumns
        if panelBeside {
            gridLines = max(1, min(lines, height - titleRows - headerRows))
            let x = heatmapWidth + 2
            panel = Rect(x: x, y: titleRows, width: min(Self.panelMaximum, width - x), height: height - titleRows)
        } else {
            let panelRows = max(4, min(9, height / 3))
            gridLines = max(1, min(lines, height - titleRows - headerRows - 1 - panelRows))
            let y = titleRows + headerRows + gridLines + 1
            panel = Rect(x: 0, y: y, width: width, height: height - y)
        }
        let cursorLine = zoomed ? query / 2 : query
        let firstLine = max(0, min(cursorLine - gridLines / 2, lines - gridLines))
        firstQuery = zoomed ? 2 * firstLine : firstLine
        let keysShown = keyColumns / cellWidth
        firstKey = zoomed ? 0 : max(0, min(key - keysShown / 2, n - keysShown))
    }

    /// Keys shown in normal mode.
    var keysShown: Int { keyColumns / cellWidth }
}

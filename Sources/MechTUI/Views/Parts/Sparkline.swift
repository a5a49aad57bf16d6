/// A value per token position drawn as eighth-block bars in a fixed number of columns: one column
/// a position when they fit, else each column the largest value of a run of positions.
struct Sparkline {
    /// The glyphs, left to right.
    let glyphs: [String]
    /// The column each position falls in.
    let columnOfPosition: [Int]

    /// `values` scaled by `scale` (the value drawn as a full bar; values ≤ 0 draw as the lowest bar).
    init(_ values: [Float], columns: Int, scale: Float) {
        let n = values.count, width = max(0, min(columns, n))
        columnOfPosition = (0..<n).map { width == 0 ? 0 : $0 * width / n }
        var peaks = [Float](repeating: -.infinity, count: width)
        for (p, v) in values.enumerated() where width > 0 { peaks[columnOfPosition[p]] = max(peaks[columnOfPosition[p]], v) }
        glyphs = peaks.map { Palette.spark(scale > 0 ? Double(max(0, $0) / scale) : 0) }
    }

    /// Draws the sparkline at (x, y), the column holding `highlight` (a position) in `mark` style.
    func draw(x: Int, y: Int, style: CellStyle, highlight: Int?, mark: CellStyle, into canvas: inout Canvas) {
        let marked = highlight.flatMap { $0 < columnOfPosition.count ? columnOfPosition[$0] : nil }
        for (i, g) in glyphs.enumerated() { canvas.put(g, x: x + i, y: y, style: i == marked ? mark : style) }
    }
}

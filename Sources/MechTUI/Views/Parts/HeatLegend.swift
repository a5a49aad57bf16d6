/// A heat scale's legend, drawn the same way by every heatmap: the low end's label, the scale's
/// cells (`Palette.legendCells`), the high end's label. A diverging legend shows the negative end,
/// zero and the positive end, so in monochrome it also says which glyphs are negative
/// (`−1 ⣿⣶⣤⣀ 0 ░▒▓█ +1`).
enum HeatLegend {
    /// Draws the legend at (x, y) with its labels in the dim style; returns the columns used.
    @discardableResult
    static func draw(signed: Bool, low: String, high: String, steps: Int, x: Int, y: Int, into canvas: inout Canvas) -> Int {
        let p = canvas.palette
        var at = x + canvas.put(low + " ", x: x, y: y, style: p.dim)
        for cell in p.legendCells(signed: signed, steps: steps) {
            canvas.set(at, y, cell)
            at += 1
        }
        at += canvas.put(" " + high, x: at, y: y, style: p.dim)
        return at - x
    }

    /// The columns `draw` takes.
    static func width(signed: Bool, low: String, high: String, steps: Int, palette: Palette) -> Int {
        DisplayWidth.of(low) + 1 + palette.legendCells(signed: signed, steps: steps).count + 1 + DisplayWidth.of(high)
    }
}

/// Draws a grid of 0…1 shades two rows a line: "▀" with the upper row's colour in front and the
/// lower row's behind ("▄" when only the lower row has a value). In monochrome each line shows
/// the glyph of the larger of its two values (by magnitude, so a signed one keeps its sign). nil
/// cells (masked) stay blank.
enum HalfBlocks {
    /// Draws `values` (rows × columns, any number of rows) from (x, y) down, ⌈rows/2⌉ lines.
    static func draw(_ values: [[Double?]], x: Int, y: Int, signed: Bool = false, into canvas: inout Canvas) {
        let p = canvas.palette
        for line in 0..<((values.count + 1) / 2) {
            let upper = values[2 * line]
            let lower = 2 * line + 1 < values.count ? values[2 * line + 1] : nil
            for c in 0..<upper.count {
                canvas.set(x + c, y + line, cell(upper[c], lower?[c], palette: p, signed: signed))
            }
        }
    }

    static func cell(_ upper: Double?, _ lower: Double?, palette p: Palette, signed: Bool = false) -> Cell {
        if !p.hasColor {
            guard let v = [upper, lower].compactMap({ $0 }).max(by: { abs($0) < abs($1) }) else { return .blank }
            return p.heat(v, signed: signed)
        }
        func color(_ v: Double) -> TerminalColor { p.heat(v, signed: signed).style.background }
        switch (upper, lower) {
        case (nil, nil): return .blank
        case (let u?, nil): return Cell("▀", style: CellStyle(foreground: color(u)))
        case (nil, let l?): return Cell("▄", style: CellStyle(foreground: color(l)))
        case (let u?, let l?): return Cell("▀", style: CellStyle(foreground: color(u), background: color(l)))
        }
    }
}

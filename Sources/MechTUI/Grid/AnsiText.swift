/// Cells as ANSI-coloured text: SGR sequences (basic, 256-colour, 24-bit, bold, dim, underline, reverse)
/// where the style changes, and a reset at each line's end. Used by `:export FILE.ans` and by
/// `--record`'s frames.
public enum AnsiText {
    public static let reset = "\u{1B}[0m"

    /// The SGR sequence that sets `style` from a reset state ("" for the plain style).
    public static func sgr(_ style: CellStyle) -> String {
        var codes: [String] = []
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        if let code = color(style.foreground, base: 30, bright: 90, extended: 38) { codes.append(code) }
        if let code = color(style.background, base: 40, bright: 100, extended: 48) { codes.append(code) }
        return codes.isEmpty ? "" : "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    private static func color(_ c: TerminalColor, base: Int, bright: Int, extended: Int) -> String? {
        switch c {
        case .terminalDefault: return nil
        case .palette(let n): return n < 8 ? "\(base + Int(n))" : n < 16 ? "\(bright + Int(n) - 8)" : "\(extended);5;\(n)"
        case .rgb(let r, let g, let b): return "\(extended);2;\(r);\(g);\(b)"
        }
    }

    /// Columns `x0..<x1` of row `y`: text with SGR where the style changes, ending in a reset.
    /// With `trim`, trailing blanks that show nothing (no background, reverse or underline) are left out.
    public static func row(_ grid: CellGrid, y: Int, from x0: Int = 0, to x1: Int? = nil, trim: Bool = false) -> String {
        var out = "", current = CellStyle.plain
        var end = min(grid.width, x1 ?? grid.width)
        if trim {
            while end > max(0, x0), grid[end - 1, y].text == " ", grid[end - 1, y].style.background == .terminalDefault,
                  !grid[end - 1, y].style.reverse, !grid[end - 1, y].style.underline { end -= 1 }
        }
        for x in max(0, x0)..<max(max(0, x0), end) {
            let cell = grid[x, y]
            if cell.isContinuation { continue }
            if cell.style != current {
                out += reset + sgr(cell.style)
                current = cell.style
            }
            out += cell.text
        }
        return out + reset
    }

    /// A rectangle of the grid as ANSI text, one line per row.
    public static func text(_ grid: CellGrid, in rect: Rect) -> String {
        let y0 = max(0, rect.y), y1 = min(grid.height, rect.maxY)
        guard y0 < y1 else { return "" }
        return (y0..<y1).map { row(grid, y: $0, from: rect.x, to: rect.maxX, trim: true) }.joined(separator: "\n")
    }

    /// Removes CSI escape sequences (ESC [ … final byte), leaving the text.
    public static func strip(_ text: String) -> String {
        var out = "", scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            guard s == "\u{1B}" else { out.unicodeScalars.append(s); continue }
            guard scalars.next() == "[" else { continue }
            while let c = scalars.next(), !(0x40...0x7E).contains(c.value) {}
        }
        return out
    }
}

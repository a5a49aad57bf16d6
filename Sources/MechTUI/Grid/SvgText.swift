import Foundation

/// Cells as an SVG picture for slides: one rectangle per run of cells with a background colour,
/// one `<text>` element per row (runs of one foreground colour as `<tspan>`s), monospace, in the
/// theme's colours. Each row's text is its `<text>` element's content.
public enum SvgText {
    public static let cellWidth = 8.4, cellHeight = 17.0, fontSize = 14.0

    public static func document(_ grid: CellGrid, in rect: Rect, theme: Theme) -> String {
        let y0 = max(0, rect.y), y1 = min(grid.height, rect.maxY), x0 = max(0, rect.x), x1 = min(grid.width, rect.maxX)
        let columns = max(0, x1 - x0), rows = max(0, y1 - y0)
        let background = theme.color(.background), foreground = theme.color(.text)
        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(Double(columns) * cellWidth))" height="\(f(Double(rows) * cellHeight))" \
        font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="\(f(fontSize))" xml:space="preserve">
        <rect width="100%" height="100%" fill="\(hex(background))"/>

        """
        for y in y0..<y1 {
            let top = Double(y - y0) * cellHeight
            var x = x0
            while x < x1 {                                          // background runs
                let (_, bg) = colors(grid[x, y].style, foreground: foreground, background: background)
                var end = x + 1
                while end < x1, colors(grid[end, y].style, foreground: foreground, background: background).1 == bg { end += 1 }
                if bg != background {
                    out += "<rect x=\"\(f(Double(x - x0) * cellWidth))\" y=\"\(f(top))\" width=\"\(f(Double(end - x) * cellWidth))\" "
                        + "height=\"\(f(cellHeight))\" fill=\"\(hex(bg))\"/>\n"
                }
                x = end
            }
            out += "<text x=\"0\" y=\"\(f(top + cellHeight * 0.78))\" textLength=\"\(f(Double(columns) * cellWidth))\" lengthAdjust=\"spacing\">"
            x = x0
            while x < x1 {                                          // foreground runs
                let style = grid[x, y].style
                let (fg, _) = colors(style, foreground: foreground, background: background)
                var text = "", end = x
                while end < x1, grid[end, y].style.bold == style.bold,
                      colors(grid[end, y].style, foreground: foreground, background: background).0 == fg {
                    text += grid[end, y].text
                    end += 1
                }
                out += "<tspan fill=\"\(hex(fg))\"\(style.bold ? " font-weight=\"bold\"" : "")>\(escape(text))</tspan>"
                x = end
            }
            out += "</text>\n"
        }
        return out + "</svg>\n"
    }

    /// The (foreground, background) a cell shows, reverse video applied.
    static func colors(_ style: CellStyle, foreground: RGB, background: RGB) -> (RGB, RGB) {
        func rgb(_ c: TerminalColor, _ fallback: RGB) -> RGB { c.rgbValue ?? fallback }
        let fg = rgb(style.foreground, foreground), bg = rgb(style.background, background)
        return style.reverse ? (bg, fg) : (fg, bg)
    }

    /// Text with XML's special characters escaped.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    private static func hex(_ c: RGB) -> String { String(format: "#%02x%02x%02x", c.r, c.g, c.b) }
    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// The xterm palette's colours, by index.
public enum XtermColors {
    static let basic: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0), RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205),
        RGB(229, 229, 229), RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0), RGB(92, 92, 255),
        RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
    ]

    public static func rgb(_ index: UInt8) -> RGB {
        let n = Int(index)
        if n < 16 { return basic[n] }
        if n >= 232 { let v = UInt8(8 + (n - 232) * 10); return RGB(v, v, v) }
        let levels: [UInt8] = [0, 95, 135, 175, 215, 255]
        let i = n - 16
        return RGB(levels[i / 36], levels[(i / 6) % 6], levels[i % 6])
    }
}

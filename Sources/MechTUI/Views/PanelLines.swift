/// Lines of text for a side panel, each with its style, built before drawing so that a panel can
/// be laid out beside or below a view and cut to the rows it gets.
struct PanelLines {
    enum Kind { case heading, text, dim, accent, warning }

    private(set) var lines: [(text: String, kind: Kind)] = []
    let width: Int

    init(width: Int) { self.width = max(1, width) }

    mutating func add(_ text: String, _ kind: Kind = .text) { lines.append((text, kind)) }

    /// `label` then `chips` separated by `separator`, wrapped to the width; continuation lines are
    /// indented by `indent` columns. A chip wider than a line is cut (never split).
    mutating func wrap(_ label: String, _ chips: [String], indent: Int = 2, separator: String = " · ",
                       _ kind: Kind = .text) {
        var line = label
        var lineHasChip = false
        for chip in chips {
            let piece = (lineHasChip ? separator : "") + chip
            if lineHasChip, DisplayWidth.of(line) + DisplayWidth.of(piece) > width {
                lines.append((line, kind))
                line = String(repeating: " ", count: indent) + chip
            } else {
                line += piece
            }
            lineHasChip = true
        }
        lines.append((line, kind))
    }

    /// Draws the first lines that fit into `canvas` from row `y`; returns the row after the last.
    @discardableResult
    func draw(into canvas: inout Canvas, x: Int = 0, y: Int = 0) -> Int {
        let p = canvas.palette
        var row = y
        for (text, kind) in lines {
            guard row < canvas.height else { break }
            let style: CellStyle
            switch kind {
            case .heading: style = p.heading
            case .text: style = p.text
            case .dim: style = p.dim
            case .accent: style = p.accent
            case .warning: style = p.warning
            }
            canvas.put(DisplayWidth.prefix(text, fitting: width).text, x: x, y: row, style: style)
            row += 1
        }
        return row
    }
}

/// Token text as the attention pages print it: quoted in lists, with spaces made visible in
/// one-cell labels; always cut to a width with `DisplayWidth`, so wide characters never misalign.
enum TokenLabel {
    /// 'text', cut with "…" inside the quotes when longer than `columns` (quotes included).
    static func quoted(_ text: String, max columns: Int) -> String {
        let whole = "'" + text + "'"
        guard DisplayWidth.of(whole) > columns, columns >= 3 else { return whole }
        return "'" + DisplayWidth.prefix(text, fitting: columns - 3).text + "…'"
    }

    /// The text with spaces shown as "·", fitted to exactly `columns`.
    static func compact(_ text: String, _ columns: Int) -> String {
        DisplayWidth.fit(text.replacingOccurrences(of: " ", with: "·"), columns)
    }
}

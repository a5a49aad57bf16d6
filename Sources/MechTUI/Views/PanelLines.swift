/// Lines of text for a side panel, each with its style, built before drawing so that a panel can
/// be laid out beside or below a view and cut to the rows it gets.
struct PanelLines {
    enum Kind { case heading, text, dim, accent, warning }

    private(set) var lines: [(text: String, kind: Kind)] = []
    let width: Int

    init(width: Int) { self.width = max(1, width) }

    /// One line of text, wrapped at spaces to the width (never clipped); continuation lines are
    /// indented by two columns. A word wider than a line is broken where the line ends.
    mutating func add(_ text: String, _ kind: Kind = .text) {
        let indent = width > 8 ? 2 : 0
        var rest = Array(text), first = true
        while true {
            let lead = first ? "" : String(repeating: " ", count: indent)
            if DisplayWidth.of(String(rest)) <= width - lead.count {
                lines.append((lead + String(rest), kind))
                return
            }
            let fitting = DisplayWidth.prefix(String(rest), fitting: width - lead.count).text.count
            // Break at the last space that fits, after some text; else where the line ends.
            let space = rest[..<fitting].lastIndex(of: " ").flatMap { i in rest[..<i].contains { $0 != " " } ? i : nil }
            let cut = space ?? max(1, fitting)
            lines.append((lead + String(rest[..<cut]), kind))
            rest = Array(rest[cut...].drop { $0 == " " })
            first = false
            if rest.isEmpty { return }
        }
    }

    /// `label` then `chips` separated by `separator`, wrapped to the width; continuation lines are
    /// indented by `indent` columns. A chip wider than a line is cut (never split).
    mutating func wrap(_ label: String, _ chips: [String], indent: Int = 2, separator: String = " · ",
                       _ kind: Kind = .text) {
        var line = label
        var lineHasChip = false
        for chip in chips {
            let piece = (lineHasChip ? separator : "") + chip
            // A chip that does not fit goes to the next line, even the first (the label then stands
            // alone), unless the line holds nothing but indentation.
            let lineHasText = lineHasChip || line.contains { $0 != " " }
            if lineHasText, DisplayWidth.of(line) + DisplayWidth.of(piece) > width {
                lines.append((lineHasChip ? line : String(line.reversed().drop { $0 == " " }.reversed()), kind))
                line = String(repeating: " ", count: indent) + chip
            } else {
                line += piece
            }
            lineHasChip = true
        }
        lines.append((line, kind))
    }

    /// `label` then chips of a quoted token and its number ("'text' +0.07"), wrapped like `wrap`: a
    /// token is cut (with "…") so that its chip fits a line, never the number.
    mutating func wrapScored(_ label: String, _ chips: [(token: String, value: String)], tokenColumns: Int = 14,
                             indent: Int = 2, _ kind: Kind = .text) {
        wrap(label, chips.map { chip in
            let room = width - indent - DisplayWidth.of(chip.value) - 1
            return TokenLabel.quoted(chip.token, max: max(3, min(tokenColumns, room))) + " " + chip.value
        }, indent: indent, kind)
    }

    /// Draws the first lines that fit into `canvas` from row `y`; returns the row after the last.
    @discardableResult
    func draw(into canvas: inout Canvas, x: Int = 0, y: Int = 0) -> Int {
        draw(lines[...], into: &canvas, x: x, y: y, rows: canvas.height - y)
    }

    /// The lines a page shows in `rows` rows: all the rows when every line fits, else one row
    /// fewer, which notes the lines shown.
    func pageLines(rows: Int) -> Int { lines.count <= rows ? rows : max(1, rows - 1) }

    /// The largest first line a scrolled panel of `rows` rows starts at.
    func maxScroll(rows: Int) -> Int { max(0, lines.count - pageLines(rows: rows)) }

    /// Draws a page of the lines from line `scroll` (clamped) in `rows` rows from (x, y). When not
    /// every line fits, the last row says which are shown and which keys page on and back.
    func draw(into canvas: inout Canvas, x: Int, y: Int, rows: Int, scroll: Int, keys: (down: String, up: String)) {
        guard rows > 0 else { return }
        let first = max(0, min(scroll, maxScroll(rows: rows)))
        let shown = pageLines(rows: rows)
        let last = min(lines.count, first + shown)
        draw(lines[first..<last], into: &canvas, x: x, y: y, rows: shown)
        guard lines.count > rows else { return }
        let more = (last < lines.count ? " · \(keys.down) more" : "") + (first > 0 ? " · \(keys.up) back" : "")
        let long = "lines \(first + 1)–\(last) of \(lines.count)" + more
        let note = DisplayWidth.of(long) <= width ? long : "\(first + 1)–\(last)/\(lines.count)" + more
        canvas.put(DisplayWidth.prefix(note, fitting: width).text, x: x, y: y + shown, style: canvas.palette.dim)
    }

    @discardableResult
    private func draw(_ lines: ArraySlice<(text: String, kind: Kind)>, into canvas: inout Canvas, x: Int, y: Int,
                      rows: Int) -> Int {
        let p = canvas.palette
        var row = y
        for (text, kind) in lines {
            guard row < min(canvas.height, y + rows) else { break }
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

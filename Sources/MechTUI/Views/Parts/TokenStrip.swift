/// The prompt's tokens laid out left to right and wrapped at the width, each in its own style
/// (heat, cursor) and optionally followed by a one-column mark (a shade character in monochrome).
/// Tall prompts show the window of lines around the focused token.
struct TokenStrip {
    struct Piece {
        var text: String
        var style: CellStyle
        var mark: Cell?
    }

    let pieces: [Piece]
    /// Each line's pieces as (piece index, column, text as drawn).
    private(set) var lines: [[(index: Int, x: Int, text: String)]] = []

    /// Lays out `pieces` in `width` columns with `gap` blank columns between pieces.
    init(_ pieces: [Piece], width: Int, gap: Int) {
        self.pieces = pieces
        guard width > 1 else { return }
        var line: [(index: Int, x: Int, text: String)] = [], x = 0
        for (i, piece) in pieces.enumerated() {
            let markWidth = piece.mark == nil ? 0 : 1
            var text = piece.text
            if DisplayWidth.of(text) + markWidth > width { text = DisplayWidth.fit(text, width - markWidth) }
            let w = DisplayWidth.of(text) + markWidth
            if !line.isEmpty, x + w > width {
                lines.append(line)
                line = []
                x = 0
            }
            line.append((i, x, text))
            x += w + gap
        }
        if !line.isEmpty { lines.append(line) }
    }

    /// The line holding piece `index`.
    func line(of index: Int) -> Int { lines.firstIndex { $0.contains { $0.index == index } } ?? 0 }

    /// Draws up to `maxLines` lines from row `y`, starting so that `focus` is shown; returns the rows used.
    @discardableResult
    func draw(y: Int, maxLines: Int, focus: Int?, into canvas: inout Canvas) -> Int {
        guard maxLines > 0, !lines.isEmpty else { return 0 }
        let shown = min(maxLines, lines.count)
        let first = ListMotion.firstRow(cursor: focus.map(line(of:)) ?? 0, rows: lines.count, visible: shown)
        for (row, line) in lines[first..<(first + shown)].enumerated() {
            for placed in line {
                let piece = pieces[placed.index]
                let used = canvas.put(placed.text, x: placed.x, y: y + row, style: piece.style)
                if let mark = piece.mark { canvas.set(placed.x + used, y + row, mark) }
            }
        }
        return shown
    }
}

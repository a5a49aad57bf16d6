/// One terminal cell: a single grapheme and its style. A wide character fills its first cell;
/// the cell after it is a continuation (`text` empty).
public struct Cell: Equatable, Sendable {
    public var text: String
    public var style: CellStyle

    public init(_ text: String = " ", style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }

    public var isContinuation: Bool { text.isEmpty }
    public static let blank = Cell()
}

/// The screen as plain data: what every view draws into, what tests read, and what the terminal
/// backend copies out (only the cells that changed since the last frame).
public struct CellGrid: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Fills a rectangle (clipped to the grid) with `text` (one column wide) in `style`.
    public mutating func fill(_ rect: Rect, _ text: String = " ", style: CellStyle = .plain) {
        let x0 = max(0, rect.x), x1 = min(width, rect.maxX), y0 = max(0, rect.y), y1 = min(height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 { for x in x0..<x1 { cells[y * width + x] = Cell(text, style: style) } }
    }

    /// Writes `text` from column `x` of row `y`, at most `limit` columns (default: to the grid's
    /// edge); returns the columns used. Wide characters that would straddle the limit are left out;
    /// control characters are shown as "?" so nothing the terminal would act on is drawn.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, x + (limit ?? width))
        var col = x
        for ch in text {
            var glyph = String(ch)
            var w = DisplayWidth.of(ch)
            if ch.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }) {
                glyph = "?"; w = 1
            }
            if w == 0 {                                          // a lone combining mark: attach or skip
                if col > x, col - 1 >= 0, col - 1 < width, !cells[y * width + col - 1].isContinuation {
                    cells[y * width + col - 1].text += glyph
                }
                continue
            }
            if col + w > end { break }
            if col >= 0 {
                clearWide(at: col, y: y)
                cells[y * width + col] = Cell(glyph, style: style)
                if w == 2 {
                    clearWide(at: col + 1, y: y)
                    cells[y * width + col + 1] = Cell("", style: style)
                }
            }
            col += w
        }
        return col - x
    }

    /// Before overwriting a cell, blanks the other half of a wide character it belongs to.
    private mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        let i = y * width + x
        if cells[i].isContinuation, x > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        } else if x + 1 < width, cells[i + 1].isContinuation, DisplayWidth.of(cells[i].text) == 2 {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
    }

    /// Row `y` as text (continuation cells skipped), trailing spaces kept.
    public func rowText(_ y: Int) -> String {
        var s = ""
        for x in 0..<width { s += cells[y * width + x].text }
        return s
    }

    /// The whole grid as lines of text, trailing spaces removed: what a user reads on screen.
    public var text: String {
        (0..<height).map { String(rowText($0).reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
    }

    /// The text of a rectangle, one line per row, trailing spaces removed.
    public func text(in rect: Rect) -> String {
        let y0 = max(0, rect.y), y1 = min(height, rect.maxY), x0 = max(0, rect.x), x1 = min(width, rect.maxX)
        guard y0 < y1, x0 < x1 else { return "" }
        return (y0..<y1).map { y in
            var s = ""
            for x in x0..<x1 { s += cells[y * width + x].text }
            return String(s.reversed().drop(while: { $0 == " " }).reversed())
        }.joined(separator: "\n")
    }

    /// Where `needle` first appears on screen, as (column, row), or nil.
    public func find(_ needle: String) -> (x: Int, y: Int)? {
        for y in 0..<height {
            var line = "", columns: [Int] = []
            for x in 0..<width where !cells[y * width + x].isContinuation {
                for _ in cells[y * width + x].text { columns.append(x) }
                line += cells[y * width + x].text
            }
            if let r = line.range(of: needle) { return (columns[line.distance(from: line.startIndex, to: r.lowerBound)], y) }
        }
        return nil
    }

    /// The rows whose cells differ from `other` (all rows when the sizes differ).
    public func changedRows(since other: CellGrid?) -> [Int] {
        guard let other, other.width == width, other.height == height else { return Array(0..<height) }
        return (0..<height).filter { y in
            cells[(y * width)..<((y + 1) * width)] != other.cells[(y * width)..<((y + 1) * width)]
        }
    }
}

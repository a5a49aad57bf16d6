/// A drawing surface: the frame's cell grid, the rectangle being drawn (coordinates are relative
/// to it and clipped to it), and the palette. Views draw only through this; whatever they leave
/// in the terminal's default colours takes the theme's background and text colour.
public struct Canvas {
    public var grid: CellGrid
    public var rect: Rect
    public let palette: Palette

    public init(grid: CellGrid, palette: Palette) {
        self.grid = grid
        rect = grid.bounds
        self.palette = palette
    }

    public var width: Int { rect.width }
    public var height: Int { rect.height }

    /// Writes text at (x, y) of the current rectangle, clipped to it; returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < rect.height, x >= 0, x < rect.width else { return 0 }
        let room = rect.width - x
        return grid.put(text, x: rect.x + x, y: rect.y + y, style: palette.resolveDefaults(style), limit: min(room, limit ?? room))
    }

    /// Sets one cell (a one-column glyph) at (x, y), clipped.
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard y >= 0, y < rect.height, x >= 0, x < rect.width else { return }
        grid.put(cell.text, x: rect.x + x, y: rect.y + y, style: palette.resolveDefaults(cell.style), limit: 1)
    }

    /// Fills the current rectangle (or part of it) with blanks in `style`.
    public mutating func clear(_ part: Rect? = nil, style: CellStyle = .plain) {
        let r = part.map { Rect(x: rect.x + $0.x, y: rect.y + $0.y, width: min($0.width, rect.width - $0.x),
                                height: min($0.height, rect.height - $0.y)) } ?? rect
        grid.fill(r, style: palette.resolveDefaults(style))
    }

    /// Draws `body` inside a sub-rectangle (relative to the current one, clipped to it).
    public mutating func within(_ sub: Rect, _ body: (inout Canvas) -> Void) {
        let saved = rect
        let x0 = min(rect.maxX, rect.x + max(0, sub.x)), y0 = min(rect.maxY, rect.y + max(0, sub.y))
        rect = Rect(x: x0, y: y0, width: min(sub.width, rect.maxX - x0), height: min(sub.height, rect.maxY - y0))
        body(&self)
        rect = saved
    }

    /// Clears an absolute rectangle of the grid and draws `body` in it.
    public mutating func redraw(_ absolute: Rect, _ body: (inout Canvas) -> Void) {
        let saved = rect
        rect = absolute
        clear()
        body(&self)
        rect = saved
    }

    /// A line of text padded to the full width in `style` (for headers and selected rows).
    public mutating func line(_ text: String, y: Int, style: CellStyle = .plain) {
        guard y >= 0, y < rect.height else { return }
        clear(Rect(x: 0, y: y, width: rect.width, height: 1), style: style)
        put(text, x: 0, y: y, style: style)
    }
}

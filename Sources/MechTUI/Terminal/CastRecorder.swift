/// `--record`: turns the frames the terminal shows and the keys it receives into asciinema
/// events. Each frame is written as the rows that changed (cursor moves and SGR-coloured text),
/// so the recording plays back the same screens in asciinema's player.
public final class CastRecorder {
    private let writer: CastWriter
    private var previous: CellGrid?

    public init(writer: CastWriter) { self.writer = writer }

    public func present(_ grid: CellGrid, cursor: (x: Int, y: Int)?) {
        writer.output(Self.frame(grid, since: previous, cursor: cursor))
        previous = grid
    }

    public func key(_ key: Key) { writer.input(Self.bytes(of: key)) }

    public func resize(width: Int, height: Int) {
        writer.resize(width: width, height: height)
        previous = nil
    }

    /// The output that turns the screen `previous` showed into `grid` (the whole screen first).
    public static func frame(_ grid: CellGrid, since previous: CellGrid?, cursor: (x: Int, y: Int)?) -> String {
        let whole = previous == nil || previous?.width != grid.width || previous?.height != grid.height
        var out = whole ? "\u{1B}[?25l\u{1B}[0m\u{1B}[H\u{1B}[2J" : "\u{1B}[?25l"
        for y in grid.changedRows(since: whole ? nil : previous) {
            out += "\u{1B}[\(y + 1);1H" + AnsiText.row(grid, y: y)
        }
        if let cursor { out += "\u{1B}[\(cursor.y + 1);\(cursor.x + 1)H\u{1B}[?25h" }
        return out
    }

    /// The bytes a terminal sends for a key (xterm's sequences for the named keys).
    public static func bytes(of key: Key) -> String {
        switch key {
        case .char(let c): return String(c)
        case .ctrl(let c): return c.asciiValue.map { String(UnicodeScalar($0 - 0x60)) } ?? ""
        case .up: return "\u{1B}[A"
        case .down: return "\u{1B}[B"
        case .right: return "\u{1B}[C"
        case .left: return "\u{1B}[D"
        case .home: return "\u{1B}[H"
        case .end: return "\u{1B}[F"
        case .pageUp: return "\u{1B}[5~"
        case .pageDown: return "\u{1B}[6~"
        case .enter: return "\r"
        case .escape: return "\u{1B}"
        case .backspace: return "\u{7F}"
        case .delete: return "\u{1B}[3~"
        case .tab: return "\t"
        case .backTab: return "\u{1B}[Z"
        case .function(let n):
            let codes = [1: "\u{1B}OP", 2: "\u{1B}OQ", 3: "\u{1B}OR", 4: "\u{1B}OS", 5: "\u{1B}[15~", 6: "\u{1B}[17~",
                         7: "\u{1B}[18~", 8: "\u{1B}[19~", 9: "\u{1B}[20~", 10: "\u{1B}[21~", 11: "\u{1B}[23~", 12: "\u{1B}[24~"]
            return codes[n] ?? ""
        }
    }
}

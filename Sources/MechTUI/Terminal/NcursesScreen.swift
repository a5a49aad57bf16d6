import CNcursesw
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal backend: sets ncurses up, reads keys, and copies changed cells of a `CellGrid` to
/// the screen. The only file that talks to ncurses; everything above it works on plain cells.
final class NcursesScreen {
    private var screen: OpaquePointer?
    private var previous: CellGrid?
    private var pairs: [TerminalColorPair: Int32] = [:]
    private var nextPair: Int32 = 1
    private(set) var colors = 0
    private var maxPairs: Int32 = 0
    private var usesDefaultColors = false
    /// A direct-colour terminal numbers colours 0xRRGGBB (below 8: the basic colours).
    private var isDirectColor = false

    private struct TerminalColorPair: Hashable { let fg: TerminalColor; let bg: TerminalColor }

    /// Opens the terminal, or fails with a one-line reason (not a terminal, TERM unusable).
    init(environment: [String: String]) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty else { throw TerminalError.unusableTerminal(term: "(unset)", reason: "TERM is not set") }
        setlocale(LC_ALL, "")
        TerminalRestore.saveModes()
        // COLORTERM=truecolor: open the terminal's direct-colour description when one is installed.
        let direct = DirectColorTerminal.description(for: environment)
        guard let s = direct.map({ newterm($0, stdout, stdin) }) ?? newterm(nil, stdout, stdin) else {
            throw TerminalError.unusableTerminal(term: term, reason: "no terminfo entry for it")
        }
        screen = s
        guard mech_has_cursor_addressing() != 0 else {
            endwin()
            delscreen(s)
            screen = nil
            throw TerminalError.unusableTerminal(term: term, reason: "it cannot position the cursor")
        }
        raw()
        noecho()
        nonl()
        keypad(mech_stdscr(), true)
        if let rmkx = mech_string_capability("rmkx") { TerminalRestore.saveKeypadOff(String(cString: rmkx)) }
        set_escdelay(25)
        curs_set(0)
        leaveok(mech_stdscr(), false)
        if has_colors() {
            start_color()
            usesDefaultColors = use_default_colors() == OK
            colors = Int(mech_colors())
            isDirectColor = colors >= ColorDepth.directColors
            maxPairs = min(mech_color_pairs(), 32767)
        }
    }

    var size: (width: Int, height: Int) { (Int(mech_cols()), Int(mech_lines())) }

    /// Waits up to `timeout` ms for input, then takes everything already typed (a paste arrives
    /// as one batch, drawn once).
    func read(timeout: Int32) -> [InputEvent] {
        var events: [InputEvent] = []
        wtimeout(mech_stdscr(), timeout)
        while true {
            var ch: wint_t = 0
            let rc = wget_wch(mech_stdscr(), &ch)
            if rc == ERR { break }
            if rc == KEY_CODE_YES {
                if Int32(ch) == KEY_RESIZE {
                    events.append(.resize(width: Int(mech_cols()), height: Int(mech_lines())))
                } else if let key = Self.key(code: Int32(ch)) {
                    events.append(.key(key))
                }
            } else if let scalar = Unicode.Scalar(UInt32(ch)) {
                events.append(.key(Key(scalar: scalar)))
            }
            wtimeout(mech_stdscr(), 0)
            if events.count >= 256 { break }
        }
        return events
    }

    static func key(code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    /// Copies the cells that changed since the last frame, and places the cursor (shown only in
    /// the prompt and command line).
    func present(_ grid: CellGrid, cursor: (x: Int, y: Int)?) {
        if previous?.width != grid.width || previous?.height != grid.height {
            previous = nil
            werase(mech_stdscr())
        }
        // 24-bit heatmaps use many pairs: start the table afresh (and draw everything) before it fills.
        if nextPair > maxPairs * 3 / 4, maxPairs > 16 {
            pairs = [:]
            nextPair = 1
            previous = nil
        }
        for y in grid.changedRows(since: previous) {
            var x = 0
            while x < grid.width {
                let cell = grid[x, y]
                if let previous, previous[x, y] == cell { x += 1; continue }
                if cell.isContinuation { x += 1; continue }
                // A run of changed cells with one style, written in one call.
                var text = "", end = x
                while end < grid.width {
                    let c = grid[end, y]
                    if c.style != cell.style || (previous.map { $0[end, y] == c } ?? false) { break }
                    text += c.isContinuation ? "" : c.text
                    end += 1
                }
                setStyle(cell.style)
                _ = mvaddstr(Int32(y), Int32(x), text)
                x = end
            }
        }
        previous = grid
        if let cursor {
            curs_set(1)
            move(Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(mech_stdscr())
        doupdate()
    }

    /// Forgets what is on screen, so the next frame is drawn whole (after a resize).
    func invalidate() {
        previous = nil
        clearok(mech_stdscr(), true)
    }

    private func setStyle(_ style: CellStyle) {
        var attrs: attr_t = 0
        if style.bold { attrs |= mech_a_bold() }
        if style.dim { attrs |= mech_a_dim() }
        if style.reverse { attrs |= mech_a_reverse() }
        if style.underline { attrs |= mech_a_underline() }
        _ = mech_attr_set(attrs, pair(for: style))
    }

    private func pair(for style: CellStyle) -> Int32 {
        guard colors > 0, style.foreground != .terminalDefault || style.background != .terminalDefault else { return 0 }
        let key = TerminalColorPair(fg: style.foreground, bg: style.background)
        if let p = pairs[key] { return p }
        guard nextPair < maxPairs else { return 0 }
        func number(_ c: TerminalColor, _ fallback: Int32) -> Int32 {
            switch c {
            case .terminalDefault: return usesDefaultColors ? -1 : fallback
            case .palette(let n) where isDirectColor:
                return n < 8 ? Int32(n) : Int32(XtermColors.rgb(n).packed)
            case .palette(let n): return Int32(n) < colors ? Int32(n) : fallback
            case .rgb(let r, let g, let b) where isDirectColor:
                return Int32(max(8, RGB(r, g, b).packed))       // 0…7 would name the basic colours
            case .rgb(let r, let g, let b): return Int32(RGB(r, g, b).xterm256) < colors ? Int32(RGB(r, g, b).xterm256) : fallback
            }
        }
        let p = nextPair
        nextPair += 1
        _ = mech_init_pair(p, number(style.foreground, Int32(COLOR_WHITE)), number(style.background, Int32(COLOR_BLACK)))
        pairs[key] = p
        return p
    }

    /// Gives the terminal back: normal screen, cursor, modes.
    func shutdown() {
        guard let s = screen else { return }
        curs_set(1)
        endwin()
        delscreen(s)
        screen = nil
        TerminalRestore.restoreModes()
    }

    deinit { shutdown() }
}

/// Why the explorer cannot use this terminal.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unusableTerminal(term: String, reason: String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the explorer needs a terminal (standard input and output are not one); "
                + "for scripts use 'mechscope run', 'heads', 'lens' or 'dla'"
        case .unusableTerminal(let term, let reason):
            return "cannot use the terminal TERM=\(term): \(reason); set TERM to e.g. xterm-256color, "
                + "or use 'mechscope run', 'heads', 'lens' or 'dla'"
        }
    }
}

/// A key press as the explorer sees it, independent of the terminal library that read it.
public enum Key: Hashable, Sendable {
    case char(Character)
    /// Ctrl with a letter (lowercase): Ctrl-d is `.ctrl("d")`.
    case ctrl(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, backspace, delete, tab, backTab
    case function(Int)

    /// How the key is written in help and hints: "j", "Ctrl-d", "Enter", "↓".
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-\(c)"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .function(let n): return "F\(n)"
        }
    }

    /// The key for a Unicode scalar read from the terminal (control bytes become their keys).
    public init(scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x0A, 0x0D: self = .enter
        case 0x1B: self = .escape
        case 0x7F, 0x08: self = .backspace
        case 0x09: self = .tab
        case 0x01...0x1A: self = .ctrl(Character(Unicode.Scalar(scalar.value + 0x60)!))
        default: self = .char(Character(scalar))
        }
    }
}

/// Anything that reaches the explorer's core: a key, a new terminal size, or time passing (which
/// turns the spinner and collects finished compute results).
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case tick
}

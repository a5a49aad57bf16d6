/// A colour as the backend can show it: the terminal's own default, an xterm palette index
/// (0–15 the basic colours, 16–231 the 6×6×6 cube, 232–255 greys), or 24-bit RGB (truecolor).
public enum TerminalColor: Hashable, Sendable {
    case terminalDefault
    case palette(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    /// The colour as RGB, if it is not the terminal's default.
    public var rgbValue: RGB? {
        switch self {
        case .terminalDefault: return nil
        case .palette(let n): return XtermColors.rgb(n)
        case .rgb(let r, let g, let b): return RGB(r, g, b)
        }
    }
}

/// How one cell is drawn.
public struct CellStyle: Hashable, Sendable {
    public var foreground: TerminalColor
    public var background: TerminalColor
    public var bold: Bool
    public var dim: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(foreground: TerminalColor = .terminalDefault, background: TerminalColor = .terminalDefault,
                bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = CellStyle()

    public func with(bold: Bool? = nil, reverse: Bool? = nil, underline: Bool? = nil, dim: Bool? = nil) -> CellStyle {
        var s = self
        if let bold { s.bold = bold }
        if let reverse { s.reverse = reverse }
        if let underline { s.underline = underline }
        if let dim { s.dim = dim }
        return s
    }
}

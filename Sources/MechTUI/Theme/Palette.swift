/// A theme fitted to the terminal's colour depth: the styles views draw with, and the heat scales.
/// In monochrome, heat cells carry shade characters (` ░▒▓█`) so nothing depends on colour alone;
/// on a diverging scale negative values take braille dots (` ⣀⣤⣶⣿`) instead, so the sign reads too.
public struct Palette: Sendable {
    public let theme: Theme
    public let depth: ColorDepth

    public init(theme: Theme = .dark, depth: ColorDepth) {
        self.theme = theme
        self.depth = depth
    }

    public var hasColor: Bool { depth != .monochrome }

    public func color(_ rgb: RGB) -> TerminalColor {
        switch depth {
        case .monochrome: return .terminalDefault
        case .basic(let n): return .palette(rgb.basic(only8: n < 16))
        case .palette256: return .palette(rgb.xterm256)
        case .truecolor: return .rgb(rgb.r, rgb.g, rgb.b)
        }
    }

    /// The same depth with another theme (`:theme` switches live).
    public func with(theme: Theme) -> Palette { Palette(theme: theme, depth: depth) }

    /// The screen's background: the theme's, or the terminal's own in monochrome.
    public var background: TerminalColor { hasColor ? color(theme.color(.background)) : .terminalDefault }

    /// Fills in the theme's background and text colour wherever a cell left the terminal's
    /// defaults, so a light theme is light on a dark terminal too (nothing changes in monochrome).
    public func resolveDefaults(_ style: CellStyle) -> CellStyle {
        guard hasColor, style.foreground == .terminalDefault || style.background == .terminalDefault else { return style }
        var s = style
        if s.background == .terminalDefault { s.background = background }
        if s.foreground == .terminalDefault { s.foreground = color(theme.color(.text)) }
        return s
    }

    public func style(_ role: Theme.Role, bold: Bool = false) -> CellStyle {
        CellStyle(foreground: color(theme.color(role)), bold: bold)
    }

    public var text: CellStyle { style(.text) }
    public var dim: CellStyle { hasColor ? style(.muted) : CellStyle(dim: true) }
    public var heading: CellStyle { style(.heading, bold: true) }
    public var accent: CellStyle { style(.accent) }
    public var positive: CellStyle { style(.positive) }
    public var negative: CellStyle { style(.negative) }
    public var warning: CellStyle { hasColor ? style(.warning) : CellStyle(bold: true) }
    public var title: CellStyle {
        hasColor ? CellStyle(foreground: color(theme.color(.title)), background: color(theme.color(.titleBackground)), bold: true)
                 : CellStyle(bold: true, reverse: true)
    }
    public var status: CellStyle {
        hasColor ? CellStyle(foreground: color(theme.color(.status)), background: color(theme.color(.statusBackground)))
                 : CellStyle(reverse: true)
    }
    public var selection: CellStyle {
        hasColor ? CellStyle(foreground: color(theme.color(.selectionText)), background: color(theme.color(.selection)))
                 : CellStyle(reverse: true)
    }
    public var token: CellStyle {
        hasColor ? CellStyle(foreground: color(theme.color(.token)), background: color(theme.color(.tokenBackground)))
                 : CellStyle(underline: true)
    }

    /// Shade characters from empty to full, for monochrome heat and for sparklines' levels.
    public static let shades = [" ", "░", "▒", "▓", "█"]
    /// Monochrome heat for negative values on a diverging scale: braille dots from empty to full,
    /// one glyph family per sign, so a cell's sign and magnitude both read without colour.
    public static let negativeShades = [" ", "⣀", "⣤", "⣶", "⣿"]
    /// Eighth-block bars for sparklines, lowest first.
    public static let sparks = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The monochrome glyph for a value in 0…1 (sequential) or −1…1 (diverging): its magnitude in
    /// five steps, from `shades` (≥ 0) or `negativeShades` (< 0). A value that rounds to step 0
    /// is blank whatever its sign.
    public static func shade(_ value: Double, signed: Bool = false) -> String {
        guard value.isFinite else { return " " }
        let clamped = signed ? min(1, max(-1, value)) : min(1, max(0, value))
        let level = Int((abs(clamped) * Double(shades.count - 1)).rounded())
        return clamped < 0 ? negativeShades[level] : shades[level]
    }

    /// One heat cell for a value in 0…1 (sequential) or −1…1 (diverging): a background colour, or
    /// in monochrome a glyph by magnitude and sign (`shade(_:signed:)`). NaN (not computed yet)
    /// draws as a dim "·".
    public func heat(_ value: Double, signed: Bool = false, text: String? = nil) -> Cell {
        guard value.isFinite else { return Cell(text ?? "·", style: dim) }
        let clamped = signed ? min(1, max(-1, value)) : min(1, max(0, value))
        if !hasColor { return Cell(text ?? Self.shade(clamped, signed: signed), style: .plain) }
        let rgb = signed ? theme.diverging.color(at: (clamped + 1) / 2) : theme.sequential.color(at: clamped)
        let fg = color(rgb.contrasting)
        return Cell(text ?? " ", style: CellStyle(foreground: fg, background: color(rgb)))
    }

    /// A legend's scale cells: `steps` from 0 to 1 (sequential), or for a diverging scale the
    /// negative end to zero, a "0" between blank zero cells, then zero to the positive end, `steps`
    /// a side (in monochrome one cell per glyph: `⣿⣶⣤⣀ 0 ░▒▓█`).
    public func legendCells(signed: Bool, steps: Int) -> [Cell] {
        guard signed else { return (0..<steps).map { heat(steps > 1 ? Double($0) / Double(steps - 1) : 1) } }
        let side = hasColor ? max(1, steps) : Self.shades.count - 1
        let negative = (0..<side).map { heat(-Double(side - $0) / Double(side), signed: true) }
        let positive = (1...side).map { heat(Double($0) / Double(side), signed: true) }
        let zero = heat(0, signed: true)
        return negative + [zero, heat(0, signed: true, text: "0"), zero] + positive
    }

    /// A sparkline character for a value in 0…1.
    public static func spark(_ t: Double) -> String {
        guard t.isFinite else { return " " }
        return sparks[min(sparks.count - 1, max(0, Int((t * Double(sparks.count - 1)).rounded())))]
    }
}

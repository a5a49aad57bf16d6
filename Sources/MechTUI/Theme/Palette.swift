/// A theme fitted to the terminal's colour depth: the styles views draw with, and the heat scales.
/// In monochrome, heat cells carry shade characters (` ░▒▓█`) so nothing depends on colour alone.
public struct Palette: Sendable {
    public let theme: Theme
    public let depth: ColorDepth

    public init(theme: Theme = .default, depth: ColorDepth) {
        self.theme = theme
        self.depth = depth
    }

    public var hasColor: Bool { depth != .monochrome }

    public func color(_ rgb: RGB) -> TerminalColor {
        switch depth {
        case .monochrome: return .terminalDefault
        case .basic(let n): return .palette(rgb.basic(only8: n < 16))
        case .palette256: return .palette(rgb.xterm256)
        }
    }

    public func style(_ role: Theme.Role, bold: Bool = false) -> CellStyle {
        CellStyle(foreground: color(theme.color(role)), bold: bold)
    }

    public var text: CellStyle { style(.text) }
    public var dim: CellStyle { hasColor ? style(.dim) : CellStyle(dim: true) }
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
        hasColor ? CellStyle(foreground: color(theme.color(.selection)), background: color(theme.color(.selectionBackground)))
                 : CellStyle(reverse: true)
    }
    public var token: CellStyle {
        hasColor ? CellStyle(foreground: color(theme.color(.token)), background: color(theme.color(.tokenBackground)))
                 : CellStyle(underline: true)
    }

    /// Shade characters from empty to full, for monochrome heat and for sparklines' levels.
    public static let shades = [" ", "░", "▒", "▓", "█"]
    /// Eighth-block bars for sparklines, lowest first.
    public static let sparks = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One heat cell for a value in 0…1 (sequential) or −1…1 (diverging): a background colour, or
    /// a shade character by magnitude in monochrome. NaN (not computed yet) draws as a dim "·".
    public func heat(_ value: Double, signed: Bool = false, text: String? = nil) -> Cell {
        guard value.isFinite else { return Cell(text ?? "·", style: dim) }
        let clamped = signed ? min(1, max(-1, value)) : min(1, max(0, value))
        if !hasColor {
            let level = Int((abs(clamped) * Double(Self.shades.count - 1)).rounded())
            return Cell(text ?? Self.shades[level], style: .plain)
        }
        let rgb = signed ? theme.diverging.color(at: (clamped + 1) / 2) : theme.sequential.color(at: clamped)
        let brightness = 0.299 * Double(rgb.r) + 0.587 * Double(rgb.g) + 0.114 * Double(rgb.b)
        let fg: TerminalColor = brightness > 140 ? color(RGB(0, 0, 0)) : color(RGB(255, 255, 255))
        return Cell(text ?? " ", style: CellStyle(foreground: fg, background: color(rgb)))
    }

    /// A sparkline character for a value in 0…1.
    public static func spark(_ t: Double) -> String {
        guard t.isFinite else { return " " }
        return sparks[min(sparks.count - 1, max(0, Int((t * Double(sparks.count - 1)).rounded())))]
    }
}

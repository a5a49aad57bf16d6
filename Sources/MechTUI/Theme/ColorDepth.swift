/// What the terminal can show, decided once at start-up.
public enum ColorDepth: Equatable, Sendable {
    /// No colour at all (`NO_COLOR`, a monochrome terminal): heatmaps use shade characters (braille
    /// dots for negative values on a diverging scale, `Palette.shade`).
    case monochrome
    /// 8 or 16 basic colours (`TERM=xterm`, `screen`).
    case basic(colors: Int)
    /// The xterm 256-colour palette.
    case palette256
    /// 24-bit colour: a direct-colour terminal (terminfo `RGB`, e.g. `TERM=xterm-direct`).
    case truecolor

    /// Terminals numbering colours as 0xRRGGBB report this many.
    public static let directColors = 1 << 24

    /// From the environment and the colour count the terminal reports. A direct-colour terminal
    /// (which has no palette to index) always gets 24-bit colour; `COLORTERM=truecolor` decides
    /// which terminal description is opened (`NcursesScreen` prefers a `-direct` one then).
    public static func detect(environment: [String: String], terminalColors: Int) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        if terminalColors >= directColors { return .truecolor }
        if terminalColors >= 256 { return .palette256 }
        if terminalColors >= 8 { return .basic(colors: terminalColors >= 16 ? 16 : 8) }
        return .monochrome
    }

    /// Whether the environment says the terminal emulator shows 24-bit colour.
    public static func wantsTruecolor(_ environment: [String: String]) -> Bool {
        guard let value = environment["COLORTERM"]?.lowercased() else { return false }
        return value == "truecolor" || value == "24bit"
    }
}

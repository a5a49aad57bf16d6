/// What the terminal can show, decided once at start-up.
public enum ColorDepth: Equatable, Sendable {
    /// No colour at all (`NO_COLOR`, a monochrome terminal): heatmaps use shade characters.
    case monochrome
    /// 8 or 16 basic colours (`TERM=xterm`, `screen`).
    case basic(colors: Int)
    /// The xterm 256-colour palette.
    case palette256

    /// From the environment and the colour count the terminal reports.
    public static func detect(environment: [String: String], terminalColors: Int) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        if terminalColors >= 256 { return .palette256 }
        if terminalColors >= 8 { return .basic(colors: terminalColors >= 16 ? 16 : 8) }
        return .monochrome
    }
}

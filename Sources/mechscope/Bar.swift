import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Horizontal bars for the text reports, always bounded: a bar never exceeds its width, and a
/// value that is not finite (or a scale of zero) draws no bar instead of trapping.
enum Bar {
    /// `value / scale` of `width` cells (clamped to 0…width).
    static func of(_ value: Float, scale: Float, width: Int, cell: String = "█") -> String {
        let fraction = value / scale
        guard fraction.isFinite, width > 0 else { return "" }
        let cells = (max(0, min(1, fraction)) * Float(width)).rounded()
        return String(repeating: cell, count: Int(cells))
    }

    /// `value · perUnit` cells, capped at `limit` (with a trailing "▸" when capped).
    static func proportional(_ value: Float, perUnit: Float, limit: Int) -> String {
        let cells = value * perUnit
        guard cells.isFinite, limit > 0 else { return "" }
        if cells > Float(limit) { return String(repeating: "█", count: max(0, limit - 1)) + "▸" }
        return String(repeating: "█", count: Int(max(0, cells).rounded()))
    }
}

/// The width of the terminal standard output goes to ($COLUMNS, else 80 when it is no terminal).
enum TerminalWidth {
    static var columns: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(text), n > 0 { return min(n, 1000) }
        return 80
    }
}

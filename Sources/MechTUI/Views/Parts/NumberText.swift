import Foundation

/// Numbers as the pages print them, so a value reads the same on every page (and in tests).
enum NumberText {
    /// Three decimals ("1.234", "-0.500").
    static func value(_ v: Float) -> String { v.isFinite ? String(format: "%.3f", Double(v)) : "—" }
    /// Three decimals with a sign ("+1.234", "-0.500").
    static func signed(_ v: Float) -> String { v.isFinite ? String(format: "%+.3f", Double(v)) : "—" }
    /// A probability as a percentage with one decimal ("45.1%"), "<0.1%" below that.
    static func percent(_ p: Float) -> String {
        guard p.isFinite else { return "—" }
        if p > 0, p < 0.0005 { return "<0.1%" }
        return String(format: "%.1f%%", Double(p) * 100)
    }
}

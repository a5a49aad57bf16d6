/// How many terminal columns a character takes: 0 (combining marks, zero-width joiners), 1, or 2
/// (East Asian wide and fullwidth characters, emoji shown as emoji). Computed from fixed tables
/// rather than the C library's locale, so the headless grid and tests agree on every machine.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }  // emoji presentation selector
        return of(first)
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 1 }   // controls are replaced by "?" when drawn
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || v == 0x200D { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        for range in wideRanges where range.contains(v) { return 2 }
        return 1
    }

    /// Columns taken by a whole string.
    public static func of(_ text: String) -> Int { text.reduce(0) { $0 + of($1) } }

    /// The longest prefix of `text` that fits in `columns`, and its width.
    public static func prefix(_ text: String, fitting columns: Int) -> (text: String, width: Int) {
        var out = "", used = 0
        for ch in text {
            let w = of(ch)
            if used + w > columns { break }
            out.append(ch)
            used += w
        }
        return (out, used)
    }

    /// `text` cut or padded with spaces to exactly `columns`; cut text ends in "…".
    public static func fit(_ text: String, _ columns: Int) -> String {
        guard columns > 0 else { return "" }
        let width = of(text)
        if width <= columns { return text + String(repeating: " ", count: columns - width) }
        let cut = prefix(text, fitting: columns - 1)
        return cut.text + "…" + String(repeating: " ", count: columns - 1 - cut.width)
    }

    /// `text` right-aligned in `columns` (cut on the left with "…" when too long).
    public static func rightAligned(_ text: String, _ columns: Int) -> String {
        let width = of(text)
        if width >= columns { return fit(text, columns) }
        return String(repeating: " ", count: columns - width) + text
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

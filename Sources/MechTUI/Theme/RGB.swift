/// A colour as a theme file writes it (`#rrggbb`), before it is fitted to what the terminal shows.
public struct RGB: Equatable, Sendable {
    public var r, g, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Parses `#rrggbb` (or `rrggbb`); nil for anything else.
    public init?(hex: String) {
        var s = Substring(hex.trimmingCharacters(in: [" ", "\"", "'"]))
        if s.hasPrefix("#") { s = s.dropFirst() }
        guard s.count == 6, s.allSatisfy(\.isHexDigit), let v = UInt32(s, radix: 16) else { return nil }
        self.init(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }

    /// The colour a fraction `t` (0…1) of the way from `self` to `other`.
    public func mixed(with other: RGB, _ t: Double) -> RGB {
        func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return RGB(lerp(r, other.r), lerp(g, other.g), lerp(b, other.b))
    }

    /// Black or white, whichever reads better on this colour (by its perceived brightness).
    public var contrasting: RGB { brightness > 140 ? RGB(0, 0, 0) : RGB(255, 255, 255) }

    /// Perceived brightness 0…255 (ITU-R BT.601 weights).
    public var brightness: Double { 0.299 * Double(r) + 0.587 * Double(g) + 0.114 * Double(b) }

    /// The 24-bit value `0xRRGGBB`, as direct-colour terminals number colours.
    public var packed: Int { Int(r) << 16 | Int(g) << 8 | Int(b) }

    /// The nearest xterm-256 palette index (colour cube or grey ramp).
    public var xterm256: UInt8 {
        func cube(_ c: UInt8) -> Int { c < 48 ? 0 : c < 115 ? 1 : (Int(c) - 35) / 40 }
        let levels = [0, 95, 135, 175, 215, 255]
        let ri = cube(r), gi = cube(g), bi = cube(b)
        let cubeColor = (levels[ri], levels[gi], levels[bi])
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 8 + greyIndex * 10
        func distance(_ c: (Int, Int, Int)) -> Int {
            let dr = c.0 - Int(r), dg = c.1 - Int(g), db = c.2 - Int(b)
            return dr * dr + dg * dg + db * db
        }
        if distance((grey, grey, grey)) < distance(cubeColor) { return UInt8(232 + greyIndex) }
        return UInt8(16 + 36 * ri + 6 * gi + bi)
    }

    /// The nearest of the 16 basic colours (or of the first 8 when `only8`).
    public func basic(only8: Bool) -> UInt8 {
        let table: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        var best = 0, bestDistance = Int.max
        for (i, c) in table.enumerated() where !only8 || i < 8 {
            let d = (c.0 - Int(r)) * (c.0 - Int(r)) + (c.1 - Int(g)) * (c.1 - Int(g)) + (c.2 - Int(b)) * (c.2 - Int(b))
            if d < bestDistance { best = i; bestDistance = d }
        }
        return UInt8(best)
    }
}

import Foundation

/// How colours look to someone without red–green vision, for checking that gradients stay
/// readable: Machado, Oliveira & Fernandes (2009) simulation matrices at full severity, applied in
/// linear RGB, and distances in CIELAB (CIE76 ΔE). Two colours that differ only in red–green
/// collapse to nearly one colour under the simulation; colours that differ in brightness or
/// blue–yellow stay apart.
public enum ColorVision: String, CaseIterable, Sendable {
    case protanopia, deuteranopia

    /// Adjacent gradient stops must stay at least this far apart (ΔE) under both simulations.
    public static let minimumStopDistance = 15.0
    /// A diverging scale's two ends (negative and positive) must stay at least this far apart.
    public static let minimumSignDistance = 40.0

    private var matrix: [[Double]] {
        switch self {
        case .protanopia:
            return [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
        case .deuteranopia:
            return [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
        }
    }

    /// The colour as seen with this deficiency, in linear RGB 0…1.
    func simulateLinear(_ c: RGB) -> [Double] {
        let v = ColorVision.linear(c), m = matrix
        return (0..<3).map { row in min(1, max(0, (0..<3).reduce(0) { $0 + m[row][$1] * v[$1] })) }
    }

    /// CIE76 distance between two colours as seen with this deficiency.
    public func distance(_ a: RGB, _ b: RGB) -> Double {
        ColorVision.labDistance(simulateLinear(a), simulateLinear(b))
    }

    /// CIE76 distance with normal vision.
    public static func normalDistance(_ a: RGB, _ b: RGB) -> Double { labDistance(linear(a), linear(b)) }

    /// Problems of a gradient for red–green colour blindness, one line each (empty: safe):
    /// adjacent stops that collapse, and for a diverging scale, ends that collapse.
    public static func problems(_ gradient: Gradient, diverging: Bool) -> [String] {
        var out: [String] = []
        let s = gradient.stops
        for vision in allCases {
            for i in 0..<(s.count - 1) where vision.distance(s[i], s[i + 1]) < minimumStopDistance {
                out.append("stops \(i + 1) and \(i + 2) (\(hex(s[i])), \(hex(s[i + 1]))) look alike with \(vision.rawValue) "
                           + String(format: "(ΔE %.1f < %.0f)", vision.distance(s[i], s[i + 1]), minimumStopDistance))
            }
            if diverging, let first = s.first, let last = s.last, vision.distance(first, last) < minimumSignDistance {
                out.append("the negative and positive ends (\(hex(first)), \(hex(last))) look alike with \(vision.rawValue) "
                           + String(format: "(ΔE %.1f < %.0f)", vision.distance(first, last), minimumSignDistance))
            }
        }
        return out
    }

    static func hex(_ c: RGB) -> String { String(format: "#%02x%02x%02x", c.r, c.g, c.b) }

    static func linear(_ c: RGB) -> [Double] {
        [c.r, c.g, c.b].map { v in
            let x = Double(v) / 255
            return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
        }
    }

    /// CIELAB (D65) of a linear RGB colour.
    static func lab(_ v: [Double]) -> (l: Double, a: Double, b: Double) {
        let x = (0.4124 * v[0] + 0.3576 * v[1] + 0.1805 * v[2]) / 0.95047
        let y = 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]
        let z = (0.0193 * v[0] + 0.1192 * v[1] + 0.9505 * v[2]) / 1.08883
        func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116.0 }
        return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
    }

    static func labDistance(_ p: [Double], _ q: [Double]) -> Double {
        let a = lab(p), b = lab(q)
        return ((a.l - b.l) * (a.l - b.l) + (a.a - b.a) * (a.a - b.a) + (a.b - b.b) * (a.b - b.b)).squareRoot()
    }
}

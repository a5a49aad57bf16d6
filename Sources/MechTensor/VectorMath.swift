/// Vectorised transcendental functions for the elementwise kernels (exp for softmax, tanh for
/// GPT-2's gelu_new, erfc for exact GELU): the per-element libm calls would cost more than the GEMMs.
///
/// Accuracy: exp has a relative error of about 1e-7 (Cephes polynomial); erfc about 1.2e-7
/// relative for all arguments (Numerical Recipes' Chebyshev fit), which keeps GELU accurate even
/// far into the negative tail.
public enum VectorMath {
    public typealias Vec = SIMD16<Float>
    public static let width = Vec.scalarCount

    @inline(__always)
    public static func exp(_ x: Vec) -> Vec {
        // Written without SIMD clamped(...) and Float→Int conversions: the standard library's
        // generic versions of those run element by element and cost more than the whole polynomial.
        var c = x.replacing(with: -87.3, where: x .< -87.3)
        c = c.replacing(with: 88.3, where: c .> 88.3)
        // Adding 1.5·2²³ rounds c·log2(e) to an integer held in the low mantissa bits.
        let magic: Float = 12582912
        let t = c * 1.44269504088896341 + magic
        let n = t - magic
        var r = c - n * 0.693359375
        r = r + n * 2.12194440e-4
        let r2 = r * r
        var p = Vec(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * r2 + r + 1
        let bits = unsafeBitCast(t, to: SIMD16<Int32>.self)           // 0x4B400000 + n
        let scale = unsafeBitCast((bits &- 0x4B40_0000 &+ 127) &<< 23, to: Vec.self)  // 2ⁿ
        return p * scale
    }

    @inline(__always)
    public static func tanh(_ x: Vec) -> Vec {
        // tanh(x) = 1 − 2 / (e^{2x} + 1); saturates cleanly to ±1 through the clamp in exp.
        let e = exp(x * 2)
        return 1 - 2 / (e + 1)
    }

    /// The complementary error function for any argument.
    @inline(__always)
    public static func erfc(_ x: Vec) -> Vec {
        let z = x.replacing(with: -x, where: x .< 0)
        let t = Vec(repeating: 1) / (Vec(repeating: 1) + Float(0.5) * z)
        var p = Vec(repeating: 0.17087277)
        p = p * t - 0.82215223
        p = p * t + 1.48851587
        p = p * t - 1.13520398
        p = p * t + 0.27886807
        p = p * t - 0.18628806
        p = p * t + 0.09678418
        p = p * t + 0.37409196
        p = p * t + 1.00002368
        p = p * t - 1.26551223
        let positive = t * exp(p - z * z)
        return positive.replacing(with: Vec(repeating: 2) - positive, where: x .< 0)
    }

    /// Applies a vector function over `count` floats in place, handling the tail with a padded vector.
    @inline(__always)
    public static func map(_ p: UnsafeMutablePointer<Float>, count: Int, _ f: (Vec) -> Vec) {
        var i = 0
        let raw = UnsafeMutableRawPointer(p)
        while i + width <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: Vec.self)
            raw.storeBytes(of: f(v), toByteOffset: i * 4, as: Vec.self)
            i += width
        }
        if i < count {
            var v = Vec(repeating: 0)
            for j in 0..<(count - i) { v[j] = p[i + j] }
            let y = f(v)
            for j in 0..<(count - i) { p[i + j] = y[j] }
        }
    }
}

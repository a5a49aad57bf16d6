/// LayerNorm over the last axis, split where TransformerLens hooks it: `normalized` = (x − μ)/scale
/// (`hook_normalized`, before the affine part), `scale` = √(var + ε) per row ([rows, 1], `hook_scale`).
/// The block's input is then `LayerNorm.affine(normalized, weight, bias)`.
public struct LayerNormResult {
    public let normalized: Tensor  // [rows, d]
    public let scale: Tensor       // [rows, 1]

    public init(normalized: Tensor, scale: Tensor) {
        self.normalized = normalized
        self.scale = scale
    }
}

public enum LayerNorm {
    public static func normalize(_ x: Tensor, epsilon: Float) -> LayerNormResult {
        let d = x.shape.last ?? 0
        let rows = d == 0 ? 0 : x.count / d
        let out = Tensor(uninitialized: x.shape)
        let scale = Tensor(uninitialized: [rows, 1])
        for r in 0..<rows {
            let src = x.pointer + r * d
            let dst = out.pointer + r * d
            let mean = Reduce.sum(src, count: d) / Float(d)
            // Two-pass variance (biased, as torch's LayerNorm) for accuracy.
            for i in 0..<d { dst[i] = src[i] - mean }
            let s = (Reduce.sumOfSquares(dst, count: d) / Float(d) + epsilon).squareRoot()
            scale.pointer[r] = s
            let inv = 1 / s
            for i in 0..<d { dst[i] *= inv }
        }
        return LayerNormResult(normalized: out, scale: scale)
    }

    /// normalized·w + b, row by row, as a new tensor.
    public static func affine(_ normalized: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
        let d = normalized.shape.last ?? 0
        precondition(weight.count == d && bias.count == d, "LayerNorm weight/bias of \(weight.count) for rows of \(d)")
        let out = Tensor(uninitialized: normalized.shape)
        let w = weight.pointer, b = bias.pointer
        for r in 0..<(d == 0 ? 0 : normalized.count / d) {
            let src = normalized.pointer + r * d, dst = out.pointer + r * d
            for i in 0..<d { dst[i] = src[i] * w[i] + b[i] }
        }
        return out
    }

    /// The whole LayerNorm: (x − μ)/√(var + ε)·w + b.
    public static func apply(_ x: Tensor, weight: Tensor, bias: Tensor, epsilon: Float) -> Tensor {
        affine(normalize(x, epsilon: epsilon).normalized, weight: weight, bias: bias)
    }
}

/// Vectorised reductions over contiguous floats.
public enum Reduce {
    @inline(__always)
    public static func sum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 16 <= count { acc += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self); i += 16 }
        var s = acc.sum()
        while i < count { s += p[i]; i += 1 }
        return s
    }

    @inline(__always)
    public static func sumOfSquares(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>(repeating: 0)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 16 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            acc += v * v
            i += 16
        }
        var s = acc.sum()
        while i < count { s += p[i] * p[i]; i += 1 }
        return s
    }

    @inline(__always)
    public static func max(_ p: UnsafePointer<Float>, count: Int) -> Float {
        var m = -Float.infinity
        for i in 0..<count where p[i] > m { m = p[i] }
        return m
    }
}

/// RMSNorm over the last axis (Llama family), split where TransformerLens hooks it:
/// `scale` = √(mean(x²) + ε) per row ([rows, 1], `hook_scale`), `normalized` = x/scale
/// (`hook_normalized`, before the weight). No mean is subtracted.
public enum RMSNorm {
    public static func normalize(_ x: Tensor, epsilon: Float) -> LayerNormResult {
        let d = x.shape.last ?? 0
        let rows = d == 0 ? 0 : x.count / d
        let out = Tensor(uninitialized: x.shape)
        let scale = Tensor(uninitialized: [rows, 1])
        for r in 0..<rows {
            let src = x.pointer + r * d, dst = out.pointer + r * d
            let s = (Reduce.sumOfSquares(src, count: d) / Float(d) + epsilon).squareRoot()
            scale.pointer[r] = s
            let inv = 1 / s
            for i in 0..<d { dst[i] = src[i] * inv }
        }
        return LayerNormResult(normalized: out, scale: scale)
    }
}

/// LayerNorm over the last axis, returning what TransformerLens hooks expose:
/// `scale` = √(var + ε) per row ([rows, 1], `hook_scale`) and the output (x − μ)/scale·w + b
/// (`hook_normalized` of TL's unfolded LayerNorm).
public struct LayerNormResult {
    public let output: Tensor  // [rows, d]
    public let scale: Tensor   // [rows, 1]
}

public enum LayerNorm {
    public static func apply(_ x: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float) -> LayerNormResult {
        let d = x.shape.last ?? 0
        let rows = d == 0 ? 0 : x.count / d
        let out = Tensor(uninitialized: x.shape)
        let scale = Tensor(uninitialized: [rows, 1])
        for r in 0..<rows {
            let src = x.pointer + r * d
            let dst = out.pointer + r * d
            let mean = Reduce.sum(src, count: d) / Float(d)
            // Two-pass variance (biased, as torch's LayerNorm) for accuracy.
            var acc = Float(0)
            for i in 0..<d { dst[i] = src[i] - mean }
            acc = Reduce.sumOfSquares(dst, count: d)
            let s = (acc / Float(d) + epsilon).squareRoot()
            scale.pointer[r] = s
            let inv = 1 / s
            if let weight, let bias {
                let w = weight.pointer, b = bias.pointer
                for i in 0..<d { dst[i] = dst[i] * inv * w[i] + b[i] }
            } else {
                for i in 0..<d { dst[i] = dst[i] * inv }
            }
        }
        return LayerNormResult(output: out, scale: scale)
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

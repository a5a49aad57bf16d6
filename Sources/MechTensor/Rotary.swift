import Foundation

/// Rotary position embedding in the rotate-half convention (Hugging Face Llama/GPT-NeoX,
/// TransformerLens's default): for each head, with half = dims/2 and i < half,
///   x'[i]        = x[i]·cos(p·f_i) − x[i + half]·sin(p·f_i)
///   x'[i + half] = x[i + half]·cos(p·f_i) + x[i]·sin(p·f_i)
/// and dimensions ≥ dims unchanged (partial rotary). p is the absolute position.
public struct RotaryTable: @unchecked Sendable {
    public let dims: Int
    public let cos: Tensor  // [pos, dims/2]
    public let sin: Tensor  // [pos, dims/2]

    /// cos and sin of p·f_i for positions `positions`, computed in float64 then rounded
    /// (transformers computes them in float32: the difference is below float32 rounding of q·k).
    public init(inverseFrequencies: [Double], positions: Range<Int>) {
        let half = inverseFrequencies.count
        dims = 2 * half
        cos = Tensor(uninitialized: [positions.count, half])
        sin = Tensor(uninitialized: [positions.count, half])
        for (r, p) in positions.enumerated() {
            for i in 0..<half {
                // transformers: freqs = (inv_freq_f32 · p) in float32; mirror that rounding.
                let angle = Float(Float(inverseFrequencies[i]) * Float(p))
                cos.pointer[r * half + i] = Foundation.cos(angle)
                sin.pointer[r * half + i] = Foundation.sin(angle)
            }
        }
    }

    /// x rotated: [pos, head, d_head] → a new [pos, head, d_head].
    public func apply(_ x: Tensor) -> Tensor {
        let t = x.shape[0], heads = x.shape[1], dh = x.shape[2], half = dims / 2
        precondition(cos.shape[0] == t && dims <= dh, "rotary table [\(cos.shape[0]), \(dims)] for \(x.shape)")
        let out = x.copy()
        for p in 0..<t {
            let c = cos.pointer + p * half, s = sin.pointer + p * half
            for h in 0..<heads {
                let src = x.pointer + (p * heads + h) * dh, dst = out.pointer + (p * heads + h) * dh
                for i in 0..<half {
                    let a = src[i], b = src[i + half]
                    dst[i] = a * c[i] - b * s[i]
                    dst[i + half] = b * c[i] + a * s[i]
                }
            }
        }
        return out
    }
}

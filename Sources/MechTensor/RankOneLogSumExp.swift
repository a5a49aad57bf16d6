import CMechKernels
import Foundation

/// Log-sum-exp over rows that differ from a shared row by a rank-one term:
/// `out[k, p] = log Σ_v exp((a[p, v] − c[k, p]·b[k, v])·s[k, p] + e[v])` for every k and p.
///
/// This is the normaliser of every logit row when one vector is removed from a LayerNormed
/// residual stream (an ablated neuron's output): a = the unablated rows through the unembedding,
/// b = the removed direction through it, s = the new inverse LayerNorm scale, e = the bias part. It
/// never forms the [K, P, n] logits: the v axis is walked in tiles small enough that a tile of
/// every a row stays in cache while each b row's tile is read once, and each tile keeps a running
/// maximum so exp never overflows. Exp is VectorMath's polynomial (≈1e-7 relative); sums are Double across tiles.
public enum RankOneLogSumExp {
    static let tile = 1024

    /// `a` [P, n], `b` [K, n], `e` [n]; `c` and `s` [K, P]; writes `out` [K, P].
    public static func compute(a: UnsafePointer<Float>, positions P: Int, b: UnsafePointer<Float>, rows K: Int,
                               e: UnsafePointer<Float>, count n: Int, coefficient c: UnsafePointer<Float>,
                               scale s: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>) {
        guard P > 0, K > 0 else { return }
        let parts = min(max(Parallel.coreCount, 1), K)
        Parallel.forEach(0..<parts, minimumWorkPerItem: P * n * K / parts) { part in
            let k0 = K * part / parts, k1 = K * (part + 1) / parts
            var maxima = [Double](repeating: -.infinity, count: (k1 - k0) * P)
            var sums = [Double](repeating: 0, count: (k1 - k0) * P)
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: tile)
            defer { scratch.deallocate() }
            for v0 in stride(from: 0, to: n, by: tile) {
                let len = min(tile, n - v0)
                for k in k0..<k1 {
                    let bRow = b + k * n + v0
                    for p in 0..<P {
                        let i = k * P + p, j = (k - k0) * P + p
                        let running = maxima[j]
                        if running.isNaN || running == .infinity { continue }   // settled: NaN or +∞
                        let (m, reference, sum) = tileLogSumExp(a: a + p * n + v0, b: bRow, e: e + v0, count: len,
                                                                c: c[i], s: s[i], shift: Float(running), scratch: scratch)
                        if m.isNaN { maxima[j] = .nan; sums[j] = .nan; continue }
                        if m == .infinity { maxima[j] = .infinity; sums[j] = 1; continue }
                        if sum == 0 { continue }                                 // every value −∞
                        // Bring the running sum and this tile's to a common reference, then move the
                        // reference up to the largest value seen so later tiles can take one pass.
                        var top = Swift.max(running, reference)
                        sums[j] = (running == -.infinity ? 0 : sums[j] * Foundation.exp(running - top))
                            + sum * Foundation.exp(reference - top)
                        if m > top {
                            sums[j] *= Foundation.exp(top - m)
                            top = m
                        }
                        maxima[j] = top
                    }
                }
            }
            for k in k0..<k1 {
                for p in 0..<P {
                    let j = (k - k0) * P + p
                    out[k * P + p] = maxima[j] + Foundation.log(sums[j])
                }
            }
        }
    }

    /// (max x, reference, Σ exp(x − reference)) of x[v] = (a[v] − c·b[v])·s + e[v] over one tile, the
    /// reference being `shift` when one pass can use it (CMechKernels picks AVX-512 or AVX2 code for
    /// the CPU; Swift's own SIMD types compile to SSE2 only).
    @inline(__always)
    private static func tileLogSumExp(a: UnsafePointer<Float>, b: UnsafePointer<Float>, e: UnsafePointer<Float>,
                                      count: Int, c: Float, s: Float, shift: Float,
                                      scratch: UnsafeMutablePointer<Float>) -> (Double, Double, Double) {
        var m = 0.0, reference = 0.0, sum = 0.0
        mech_rank_one_lse_tile(a, b, e, count, c, s, shift, scratch, &m, &reference, &sum)
        return (m, reference, sum)
    }
}

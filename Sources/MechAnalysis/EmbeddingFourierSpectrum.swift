import Foundation
import MechTensor

/// How an embedding's rows vary as periodic functions of the token index: the Fourier view that
/// shows a grokked modular-arithmetic model's "key frequencies" (Nanda et al., "Progress measures
/// for grokking"). Frequency k pools the cos(2πkt/p) and sin(2πkt/p) components over all columns.
public struct EmbeddingFourierSpectrum: Sendable {
    /// Share of the (mean-removed) embedding's squared norm on each frequency 1…p/2.
    public let power: [Double]
    /// Share on the constant (frequency 0) component, which the other shares exclude.
    public let constantShare: Double
    public let period: Int

    /// Spectrum of rows 0..<period of `embedding` ([tokens, d_model]), e.g. the number tokens 0…p−1.
    public init(embedding: Tensor, period p: Int) {
        precondition(embedding.rank == 2 && embedding.shape[0] >= p && p >= 2, "need at least \(p) rows")
        let d = embedding.shape[1]
        var byFrequency = [Double](repeating: 0, count: p / 2 + 1)
        for col in 0..<d {
            for k in 0...(p / 2) {
                var re = 0.0, im = 0.0
                for t in 0..<p {
                    let angle = 2 * Double.pi * Double(k * t % p) / Double(p)
                    let x = Double(embedding[t, col])
                    re += x * cos(angle)
                    im -= x * sin(angle)
                }
                // |X_k|² counts once for k = 0 (and k = p/2 when p is even), twice otherwise (±k).
                let weight = (k == 0 || 2 * k == p) ? 1.0 : 2.0
                byFrequency[k] += weight * (re * re + im * im) / Double(p)
            }
        }
        let total = byFrequency.reduce(0, +)
        let varying = total - byFrequency[0]
        constantShare = total > 0 ? byFrequency[0] / total : 0
        power = byFrequency.dropFirst().map { varying > 0 ? $0 / varying : 0 }
        period = p
    }

    /// Frequencies (1-based) by descending share.
    public var rankedFrequencies: [Int] {
        TopK.ranking(of: power).map { $0 + 1 }
    }

    /// Share of the varying part held by the `count` strongest frequencies.
    public func topShare(_ count: Int) -> Double {
        rankedFrequencies.prefix(count).reduce(0) { $0 + power[$1 - 1] }
    }
}

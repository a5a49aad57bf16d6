import Foundation

/// Options of TransformerLens's `detect_head` that change a score (its defaults: both false).
public struct HeadDetectionOptions: Equatable, Sendable {
    /// Zero the attention to position 0 (whatever token it holds) before scoring.
    public var excludeBOS: Bool
    /// Zero each query's attention to itself before scoring.
    public var excludeCurrentToken: Bool

    public init(excludeBOS: Bool = false, excludeCurrentToken: Bool = false) {
        self.excludeBOS = excludeBOS
        self.excludeCurrentToken = excludeCurrentToken
    }
}

/// TransformerLens's `compute_head_attention_similarity_score` with its default "mul" measure:
/// Σ(A ∘ D) / ΣA over the whole [query, key] pattern A (after the exclusions), D the 0/1
/// detection pattern. Rows without any marked key still count in ΣA, so a perfect previous-token
/// head scores (n − 1)/n. The 0/0 of an all-excluded pattern is NaN, as in TransformerLens.
public enum HeadDetection {
    /// The score of one head's pattern (row-major [n, n], query × key) against `keys`
    /// (from `HeadDetectionKind.keys(for:)`), accumulated in double.
    public static func score(pattern: UnsafePointer<Float>, length n: Int, keys: [[Int]],
                             options: HeadDetectionOptions = HeadDetectionOptions()) -> Double {
        var marked = 0.0, total = 0.0
        for q in 0..<n {
            let row = pattern + q * n
            var rowSum = 0.0
            for k in 0..<n { rowSum += Double(row[k]) }
            if options.excludeBOS { rowSum -= Double(row[0]) }
            if options.excludeCurrentToken && !(options.excludeBOS && q == 0) { rowSum -= Double(row[q]) }
            total += rowSum
            for k in keys[q] {
                if options.excludeBOS && k == 0 { continue }
                if options.excludeCurrentToken && k == q { continue }
                marked += Double(row[k])
            }
        }
        return marked / total
    }

    /// How many (query, key) pairs of an n-token causal pattern the exclusions leave to score:
    /// 0 (a 1-token prompt with either exclusion, 2 tokens with both) makes every score 0/0.
    public static func scoredPairs(length n: Int, options: HeadDetectionOptions) -> Int {
        (0..<n).reduce(0) { total, q in
            total + (0...q).filter { k in !(options.excludeBOS && k == 0) && !(options.excludeCurrentToken && k == q) }.count
        }
    }

    /// Mean over query positions of the attention entropy −Σ_k p log p, in nats: 0 for a head
    /// that always attends to one key, log(q + 1) at most for query q; NaN when the pattern holds
    /// a NaN (never the 0 of a sharp head).
    public static func meanEntropy(pattern: UnsafePointer<Float>, length n: Int) -> Double {
        guard n > 0 else { return 0 }
        var total = 0.0
        for q in 0..<n {
            let row = pattern + q * n
            for k in 0...q where !row[k].isFinite { return .nan }
            for k in 0...q where row[k] > 0 {
                let p = Double(row[k])
                total -= p * Foundation.log(p)
            }
        }
        return total / Double(n)
    }
}

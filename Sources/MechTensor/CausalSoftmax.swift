/// Attention softmax: turns [head, query, key] scores into patterns in place of a copy. Causal,
/// it writes −∞ above the diagonal of the scores (TransformerLens's `hook_attn_scores` convention)
/// and exact zeros above the diagonal of the pattern; bidirectional (encoders), every key counts.
public enum CausalSoftmax {
    /// `scores` [heads, Q, K] (already scaled, K ≥ Q) → pattern [heads, Q, K]; masks `scores` in place.
    /// The queries are the last Q of the K positions (query q sits at position K − Q + q), so a pass
    /// that recomputes only a suffix of the sequence against cached keys masks exactly as a full one.
    public static func apply(scores: Tensor, causal: Bool = true) -> Tensor {
        precondition(scores.rank == 3 && scores.shape[1] <= scores.shape[2], "scores must be [head, q, k] with q ≤ k")
        let heads = scores.shape[0], queries = scores.shape[1], t = scores.shape[2]
        let pattern = Tensor(zeros: scores.shape)
        // Heads are independent: split them across cores when there is enough work.
        Parallel.forEach(0..<heads, minimumWorkPerItem: queries * t) { h in
            for q in 0..<queries {
                let s = scores.pointer + (h * queries + q) * t
                let p = pattern.pointer + (h * queries + q) * t
                let n = causal ? t - queries + q + 1 : t
                let m = Reduce.max(s, count: n)
                for k in 0..<n { p[k] = s[k] - m }
                VectorMath.map(p, count: n) { VectorMath.exp($0) }
                let inv = 1 / Reduce.sum(p, count: n)
                for k in 0..<n { p[k] *= inv }
                for k in n..<t { s[k] = -.infinity }
            }
        }
        return pattern
    }
}

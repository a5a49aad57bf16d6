import MechModels
import MechTensor

/// TransformerLens's processed unembedding W_U' [d_model, vocab] and b_U' [vocab], read from the
/// raw [vocab, d_model] matrix (memory-mapped; tied to W_E in GPT-2) without forming W_U'.
///
/// With U = the raw matrix (W_U = Uᵀ) and s = ln_final.w, TransformerLens's processing is
///     fold_ln:         b_U ← b_U + U·ln_b;   W_U[i, v] ← s_i·U[v, i]
///     (center_weights) W_U[:, v] ← W_U[:, v] − mean_i W_U[i, v]              over d_model
///     center_unembed:  W_U[i, :] ← W_U[i, :] − mean_v W_U[i, v];   b_U ← b_U − mean(b_U)   over vocab
/// so one column is
///     W_U'[:, v] = s∘U[v] − mean(s∘U[v])·1 − c,   c = centre(s∘ū) [d_model],  ū = mean_v U[v]
/// and for x [d_model], with x̃ = centre(x)∘s, x·W_U'[:, v] = x̃·U[v] − x·c, where x·c = x̃·ū is the
/// mean over the vocabulary of x̃·U[v]. Hence the logits:
///     logits' = y − mean_v(y) + b_U',    y = x̃·Uᵀ  (one gemm on the raw matrix, transposed operand)
/// Without LayerNorm there is no fold and no centring over d_model: s = 1, x̃ = x, c = ū. With
/// RMSNorm TransformerLens folds s but does not centre over d_model: x̃ = x∘s, c = s∘ū.
public struct ProcessedUnembedding: @unchecked Sendable {
    /// U [vocab, d_model]: logits = x·Uᵀ in the raw model.
    public let raw: Tensor
    /// ln_final.w [d_model], nil without LayerNorm.
    let scale: Tensor?
    /// c [d_model]: the vocabulary mean every column of W_U' had taken off by center_unembed.
    let columnMean: Tensor
    /// b_U' [vocab].
    public let bias: Tensor
    /// Whether the final normalisation centres (LayerNorm), so processing centres over d_model.
    let centres: Bool

    public init(_ w: TransformerWeights, centres: Bool = true) {
        self.centres = centres
        let U = w.unembedding, vocab = U.shape[0], d = U.shape[1]
        raw = U
        scale = w.lnFinal?.weight
        // b_U' = centre_vocab(b_U + U·ln_b)
        let b = w.unembeddingBias?.copy() ?? Tensor(zeros: [vocab])
        if let ln = w.lnFinal {
            BLAS.gemv(rows: vocab, cols: d, a: U.pointer, lda: d, x: ln.bias.pointer, beta: 1, y: b.pointer)
        }
        // Centred over its finite entries (the same as centre_vocab when all are): the shift is one
        // softmax ignores, and a NaN or ±∞ bias then spoils its own token's logit, not every token's.
        WeightFolding.centerFiniteEntries(b)
        bias = b
        // c = centre(s∘ū), ū = Uᵀ·1 / vocab
        let ones = Tensor(repeating: 1, shape: [vocab])
        let c = Tensor(uninitialized: [d])
        BLAS.gemv(transposeA: true, rows: vocab, cols: d, alpha: 1 / Float(vocab), a: U.pointer, lda: d,
                  x: ones.pointer, y: c.pointer)
        if let s = w.lnFinal?.weight {
            for i in 0..<d { c.pointer[i] *= s.pointer[i] }
            if centres { WeightFolding.centerRows(c.reshaped([1, d])) }
        }
        columnMean = c
    }

    public var vocabularySize: Int { raw.shape[0] }
    public var dModel: Int { raw.shape[1] }

    /// Rows x [m, d_model] (row stride d_model) → logits' [m, vocab] into `out` (row stride vocab):
    /// x·W_U' (+ b_U' when `addBias`).
    public func logits(_ x: UnsafePointer<Float>, rows m: Int, into out: UnsafeMutablePointer<Float>, addBias: Bool) {
        let d = dModel, vocab = vocabularySize
        guard m > 0 else { return }
        let xs = Tensor(uninitialized: [m, d])                       // x̃ = centre(x)∘s
        xs.pointer.update(from: x, count: m * d)
        if let scale {
            if centres { WeightFolding.centerRows(xs.pointer, rows: m, columns: d, stride: d) }
            for r in 0..<m { for i in 0..<d { xs.pointer[r * d + i] *= scale.pointer[i] } }
        }
        BLAS.gemm(transposeB: true, m: m, n: vocab, k: d, a: xs.pointer, lda: d, b: raw.pointer, ldb: d,
                  c: out, ldc: vocab)                                 // y = x̃·Uᵀ  [m, vocab]
        for r in 0..<m {
            let row = out + r * vocab
            let shift = Float(Self.mean(row, count: vocab))          // x·c = mean_v y
            if addBias {
                for v in 0..<vocab { row[v] = row[v] - shift + bias.pointer[v] }
            } else {
                for v in 0..<vocab { row[v] -= shift }
            }
        }
    }

    /// x·W_U' (+ b_U') for rows x [m, d_model] → [m, vocab].
    public func logits(_ x: Tensor, addBias: Bool = true) -> Tensor {
        let m = x.count / dModel
        let out = Tensor(uninitialized: [m, vocabularySize])
        logits(x.pointer, rows: m, into: out.pointer, addBias: addBias)
        return out
    }

    /// Columns `tokens` of W_U' as rows [n, d_model]: row k is W_U'[:, tokens.lowerBound + k].
    public func columns(_ tokens: Range<Int>) -> Tensor {
        let d = dModel
        let out = raw.rows(tokens).copy()
        let s = scale?.pointer, c = columnMean.pointer
        for k in 0..<tokens.count {
            let row = out.pointer + k * d
            var mean: Float = 0
            if let s {                                               // s∘U[v] − mean(s∘U[v])
                for i in 0..<d { row[i] *= s[i] }
                mean = centres ? Reduce.sum(row, count: d) / Float(d) : 0
            }
            for i in 0..<d { row[i] = row[i] - mean - c[i] }         // − c
        }
        return out
    }

    /// W_U'[:, token] [d_model]: one token's logit direction.
    public func column(_ token: Int) -> Tensor { columns(token..<(token + 1)).reshaped([dModel]) }

    /// Mean of n floats, accumulated in Double (a vocabulary-sized row).
    private static func mean(_ p: UnsafePointer<Float>, count: Int) -> Double {
        var total = 0.0, i = 0
        while i + 16 <= count {
            total += Double(UnsafeRawPointer(p).loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self).sum())
            i += 16
        }
        while i < count { total += Double(p[i]); i += 1 }
        return total / Double(count)
    }
}

import MechTensor

/// One head's QK circuit read through the token and position embeddings, from processed weights
/// alone: which keys a query prefers before any context mixes the residual stream. Scores are the
/// bilinear form x_q·W_Q·W_Kᵀ·x_kᵀ (TransformerLens `model.QK`), without biases or the 1/√d_head
/// scale, so they rank keys but are not attention probabilities.
public struct QKCircuit: @unchecked Sendable {
    public let weights: HeadCircuitWeights
    private let embedding: CentredRows   // W_E' [d_vocab, d_model]
    private let positions: CentredRows?  // W_pos' [n_ctx, d_model], nil without learned positions

    public init(_ processed: ProcessedWeights, layer: Int, head: Int) throws {
        weights = try HeadCircuitWeights(processed, layer: layer, head: head)
        embedding = processed.embedding
        positions = processed.positionEmbedding
    }

    public var vocabularySize: Int { embedding.rowCount }

    /// W_E[q]·W_Q·W_Kᵀ·W_Eᵀ [d_vocab]: every key token's score for query token q
    /// (TransformerLens `W_E[q] @ model.QK[l, h] @ W_E.T`).
    public func keyScores(forQueryToken q: Int) throws -> [Float] {
        guard q >= 0, q < vocabularySize else { throw HeadAnalysisError.tokenOutOfRange(token: q, vocabularySize: vocabularySize) }
        let d = embedding.columnCount, dh = weights.wQ.shape[1]
        let token = embedding.row(q).scalars                                               // W_E'[q]
        var query = [Float](repeating: 0, count: dh), key = [Float](repeating: 0, count: d)
        BLAS.gemv(transposeA: true, rows: d, cols: dh, a: weights.wQ.pointer, lda: dh, x: token, y: &query)
        BLAS.gemv(rows: d, cols: dh, a: weights.wK.pointer, lda: dh, x: query, y: &key)     // (q·W_Q)·W_Kᵀ
        var scores = [Float](repeating: 0, count: vocabularySize)
        embedding.times(key, into: &scores)                                                // W_E'·key
        return scores
    }

    /// The k key tokens with the highest scores for query token q.
    public func preferredKeys(forQueryToken q: Int, top k: Int) throws -> [CircuitTokenScore] {
        CircuitTokenScore.largest(of: try keyScores(forQueryToken: q), k: k)
    }

    /// W_pos·W_Q·W_Kᵀ·W_posᵀ [n_ctx (query), n_ctx (key)]: the positional part of the QK circuit.
    public func positionalScores() throws -> Tensor {
        guard let positions else { throw HeadAnalysisError.noLearnedPositions(quantity: "the positional QK circuit") }
        let queries = positions.times(weights.wQ), keys = positions.times(weights.wK)   // [n_ctx, d_head]
        return queries.matmul(keys, transposeOther: true)
    }

    /// Which relative offset the positional QK pattern prefers, see `PositionalPreference`.
    public func positionalPreference() throws -> PositionalPreference {
        PositionalPreference(scores: try positionalScores())
    }
}

/// A summary of a positional QK pattern S [n, n]: for each query position p, the causal arg-max key
/// k*(p) = argmax_{k ≤ p} S[p, k] (ties to the nearest key) and its offset p − k*. The preferred
/// offset is the most frequent offset over query positions 1..<n (ties to the smaller offset);
/// `share` is the fraction of those positions where it is the arg-max. Offset 1 marks a
/// previous-token head, 0 a current-token head, large offsets a head that looks back to the start.
public struct PositionalPreference: Equatable, Sendable {
    public let preferredOffset: Int
    public let share: Double
    /// p − k*(p) for every query position p (0 at p = 0).
    public let argmaxOffsets: [Int]

    public init(scores: Tensor) {
        let n = scores.shape[0]
        var offsets = [Int](repeating: 0, count: n)
        for p in 0..<n {
            let row = scores.pointer + p * scores.shape[1]
            var best = p
            for k in stride(from: p - 1, through: 0, by: -1) where row[k] > row[best] { best = k }
            offsets[p] = p - best
        }
        var counts: [Int: Int] = [:]
        for p in 1..<max(n, 1) { counts[offsets[p], default: 0] += 1 }
        let winner = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
        preferredOffset = winner?.key ?? 0
        share = n > 1 ? Double(winner?.value ?? 0) / Double(n - 1) : 1
        argmaxOffsets = offsets
    }
}

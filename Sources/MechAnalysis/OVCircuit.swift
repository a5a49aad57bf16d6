import MechTensor

/// One head's OV circuit read through the embedding and unembedding, from processed weights alone:
/// what the head writes to the logits when it attends to a token.
public struct OVCircuit: @unchecked Sendable {
    public let weights: HeadCircuitWeights
    private let wE: Tensor   // [d_vocab, d_model]
    private let wU: Tensor   // [d_model, d_vocab]

    public init(_ processed: ProcessedWeights, layer: Int, head: Int) throws {
        weights = try HeadCircuitWeights(processed, layer: layer, head: head)
        wE = processed.wE
        wU = processed.wU
    }

    public var vocabularySize: Int { wE.shape[0] }

    /// ((W_E[t]·W_V)·W_O)·W_U [d_vocab]: the direct logit effect of attending to token t with
    /// weight 1 (TransformerLens `W_E[t] @ model.OV[l, h] @ W_U`, same association).
    public func logitEffect(ofToken t: Int) throws -> [Float] {
        guard t >= 0, t < vocabularySize else { throw HeadAnalysisError.tokenOutOfRange(token: t, vocabularySize: vocabularySize) }
        let d = wE.shape[1]
        let written = weights.ov.applyTransposed(to: Array(UnsafeBufferPointer(start: wE.pointer + t * d, count: d)))
        var logits = [Float](repeating: 0, count: vocabularySize)
        BLAS.gemv(transposeA: true, rows: d, cols: vocabularySize, a: wU.pointer, lda: vocabularySize, x: written, y: &logits)
        return logits
    }

    /// The k tokens whose logits attending to `t` raises most, and the k it lowers most.
    public func promotions(ofToken t: Int, top k: Int) throws -> (promoted: [CircuitTokenScore], suppressed: [CircuitTokenScore]) {
        let effect = try logitEffect(ofToken: t)
        return (CircuitTokenScore.largest(of: effect, k: k), CircuitTokenScore.smallest(of: effect, k: k))
    }

    /// The full circuit W_E·W_V·W_O·W_U (d_vocab × d_vocab) in factored form
    /// (W_E·W_V [d_vocab, d_head], W_O·W_U [d_head, d_vocab]), as TransformerLens builds it.
    public var fullCircuit: FactoredMatrix {
        FactoredMatrix(wE.matmul(weights.wV), weights.wO.matmul(wU))
    }
}

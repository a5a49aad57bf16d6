import MechTensor

/// One head's OV circuit read through the embedding and unembedding, from processed weights alone:
/// what the head writes to the logits when it attends to a token.
public struct OVCircuit: @unchecked Sendable {
    public let weights: HeadCircuitWeights
    private let embedding: CentredRows              // W_E' [d_vocab, d_model]
    private let unembedding: ProcessedUnembedding   // W_U' [d_model, d_vocab]

    public init(_ processed: ProcessedWeights, layer: Int, head: Int) throws {
        weights = try HeadCircuitWeights(processed, layer: layer, head: head)
        embedding = processed.embedding
        unembedding = processed.unembedding
    }

    public var vocabularySize: Int { embedding.rowCount }

    /// ((W_E[t]·W_V)·W_O)·W_U [d_vocab]: the direct logit effect of attending to token t with
    /// weight 1 (TransformerLens `W_E[t] @ model.OV[l, h] @ W_U`, same association).
    public func logitEffect(ofToken t: Int) throws -> [Float] {
        guard t >= 0, t < vocabularySize else { throw HeadAnalysisError.tokenOutOfRange(token: t, vocabularySize: vocabularySize) }
        let written = weights.ov.applyTransposed(to: embedding.row(t).scalars)          // [d_model]
        return unembedding.logits(Tensor(shape: [1, written.count], values: written), addBias: false).scalars
    }

    /// The k tokens whose logits attending to `t` raises most, and the k it lowers most.
    public func promotions(ofToken t: Int, top k: Int) throws -> (promoted: [CircuitTokenScore], suppressed: [CircuitTokenScore]) {
        let effect = try logitEffect(ofToken: t)
        return (CircuitTokenScore.largest(of: effect, k: k), CircuitTokenScore.smallest(of: effect, k: k))
    }

    /// The full circuit W_E·W_V·W_O·W_U (d_vocab × d_vocab) in factored form
    /// (W_E·W_V [d_vocab, d_head], W_O·W_U [d_head, d_vocab]), as TransformerLens builds it.
    public var fullCircuit: FactoredMatrix {
        FactoredMatrix(embedding.times(weights.wV), unembedding.logits(weights.wO, addBias: false))
    }
}

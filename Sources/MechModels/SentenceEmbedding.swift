import MechTensor

/// One prompt's sentence embedding: its tokens and the pooled vector (sentence-transformers' recipe).
public struct SentenceEmbedding: Sendable {
    public let tokens: [Int]
    public let vector: [Float]

    public var norm: Double { vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
}

extension LoadedModel {
    /// The hook holding the model's output per token: an encoder's last hook_normalized_resid_post,
    /// a decoder's final norm (before its weight and bias) or, without one, its last hook_resid_post.
    public var tokenOutputHook: HookPoint {
        let a = config.architecture, last = config.nLayers - 1
        if a.blockNorm == .postLN { return .normalizedResidPost(last) }
        return a.finalNorm ? .lnFinalNormalized : .residPost(last)
    }

    /// The model's output for each token [pos, d_model]: what a sentence-transformers Transformer
    /// module hands to pooling (`last_hidden_state`).
    public func tokenOutputs(_ ids: [Int]) throws -> Tensor {
        let hook = tokenOutputHook
        let result = try transformer.run(ids, caching: .only([hook]), logits: .none)
        let output = result.cache[hook]!
        guard hook == .lnFinalNormalized, let ln = transformer.weights.lnFinal else { return output }
        return LayerNorm.affine(output, weight: ln.weight, bias: ln.bias)
    }

    /// Runs `prompt` (truncated to the folder's `max_seq_length`) and pools its token outputs as the
    /// folder's sentence-transformers modules say; a folder without them is an error naming it.
    public func sentenceEmbedding(_ prompt: String) throws -> SentenceEmbedding {
        let pooling = try requiredSentencePooling()
        let ids = try tokenize(prompt, truncate: pooling.truncated)
        return SentenceEmbedding(tokens: ids, vector: pooling.embed(try tokenOutputs(ids)))
    }

    /// The folder's pooling, or why there is none.
    public func requiredSentencePooling() throws -> SentencePooling {
        if let sentencePooling { return sentencePooling }
        if let sentencePoolingError { throw sentencePoolingError }
        throw ModelError.notASentenceEncoder(folder: folder.path)
    }
}

import MechTensor

/// One prompt's sentence embedding: its tokens and the pooled vector (sentence-transformers' recipe).
public struct SentenceEmbedding: Sendable {
    public let tokens: [Int]
    public let vector: [Float]

    public var norm: Double { vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot() }
}

extension LoadedModel {
    /// Runs `prompt` through the encoder and pools the last block's output as the folder's
    /// sentence-transformers modules say; nil pooling is an error naming the folder.
    public func sentenceEmbedding(_ prompt: String) throws -> SentenceEmbedding {
        guard let pooling = sentencePooling else {
            if let sentencePoolingError { throw sentencePoolingError }
            throw ModelError.notASentenceEncoder(folder: folder.path)
        }
        let ids = try tokenize(prompt)
        let last: HookPoint = config.architecture.blockNorm == .postLN ? .normalizedResidPost(config.nLayers - 1)
            : config.architecture.finalNorm ? .lnFinalNormalized : .residPost(config.nLayers - 1)
        let result = try transformer.run(ids, caching: .only([last]), logits: .none)
        var output = result.cache[last]!
        if last == .lnFinalNormalized, let ln = transformer.weights.lnFinal {
            output = LayerNorm.affine(output, weight: ln.weight, bias: ln.bias)
        }
        return SentenceEmbedding(tokens: ids, vector: pooling.embed(output))
    }
}

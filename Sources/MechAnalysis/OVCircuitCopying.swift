import MechTensor

/// Every head's full-OV-circuit eigenvalues and copying score, as TransformerLens's demo
/// `(W_E @ model.OV @ W_U).eigenvalues` with score Σλ / Σ|λ| ("A Mathematical Framework for
/// Transformer Circuits": positive eigenvalues mean the head copies the tokens it attends to).
///
/// The full circuit W_E·W_V·W_O·W_U is d_vocab × d_vocab; its nonzero eigenvalues are those of the
/// d_head × d_head matrix W_O·(W_U·W_E)·W_V (cyclic property). W_U·W_E [d_model, d_model] is
/// formed once for the whole model (and kept by `ProcessedWeights`), so no vocabulary-sized
/// per-head product is ever made; each head's W_V', W_O' are derived in turn.
public struct OVCopyingScores: @unchecked Sendable {
    public let layers: Int
    public let heads: Int
    /// Per head (index layer·heads + head), d_head eigenvalues in LAPACK's order.
    public let eigenvalues: [[Eigenvalue]]

    /// Σλ / Σ|λ| per head (index layer·heads + head).
    public var scores: [Double] { eigenvalues.map(\.copyingScore) }

    public func eigenvalues(layer: Int, head: Int) -> [Eigenvalue] { eigenvalues[layer * heads + head] }
    public func score(layer: Int, head: Int) -> Double { eigenvalues(layer: layer, head: head).copyingScore }

    /// All heads' eigenvalues on processed weights: per layer, W_O'·(W_U'·W_E') for all its heads in
    /// one product on the raw c_proj (`CentredRows`), then each head's W_V' derived alone.
    public static func compute(_ weights: ProcessedWeights) throws -> OVCopyingScores {
        let unembedEmbed = unembedTimesEmbed(weights)               // [d_model, d_model]
        let H = weights.headCount, dh = weights.dHead
        var all: [[Eigenvalue]] = []
        for l in 0..<weights.layerCount {
            let projected = weights.attentionOutput(l).times(unembedEmbed)   // [head·d_head, d_model]
            for h in 0..<H {
                let wV = weights.headInput(.value, layer: l, head: h)         // [d_model, d_head]
                let block = Tensor(shape: [dh, projected.shape[1]], buffer: projected.buffer, offset: h * dh * projected.shape[1])
                all.append(try spectrum(block.matmul(wV)))
            }
        }
        return OVCopyingScores(layers: weights.layerCount, heads: H, eigenvalues: all)
    }

    /// One head's full-OV-circuit eigenvalues: those of W_O'·(W_U'·W_E')·W_V' [d_head, d_head]
    /// (two d_model-sized products once W_U'·W_E' exists).
    public static func eigenvalues(_ weights: ProcessedWeights, layer: Int, head: Int,
                                   unembedEmbed: Tensor? = nil) throws -> [Eigenvalue] {
        try weights.checkHead(layer: layer, head: head)
        let (wV, wO) = weights.headValueOutput(layer: layer, head: head)   // [d_model, d_head], [d_head, d_model]
        let k = unembedEmbed ?? unembedTimesEmbed(weights)
        return try spectrum(wO.matmul(k).matmul(wV))                       // [d_head, d_head]
    }

    /// Eigenvalues of a small square matrix, solved in double precision.
    private static func spectrum(_ m: Tensor) throws -> [Eigenvalue] {
        try LAPACK.eigenvalues(ofSquare: m.scalars.map(Double.init), order: m.shape[0])
    }

    /// W_U·W_E [d_model, d_model]: the vocabulary-sized part of every full OV circuit, formed once
    /// per model.
    public static func unembedTimesEmbed(_ weights: ProcessedWeights) -> Tensor {
        weights.unembedTimesEmbed()
    }
}

import MechTensor

/// Every head's full-OV-circuit eigenvalues and copying score, as TransformerLens's demo
/// `(W_E @ model.OV @ W_U).eigenvalues` with score Σλ / Σ|λ| ("A Mathematical Framework for
/// Transformer Circuits": positive eigenvalues mean the head copies the tokens it attends to).
///
/// The full circuit W_E·W_V·W_O·W_U is d_vocab × d_vocab; its nonzero eigenvalues are those of the
/// d_head × d_head matrix W_O·(W_U·W_E)·W_V (cyclic property). W_U·W_E [d_model, d_model] is
/// formed once for the whole model (and kept by `ProcessedWeights`), so no vocabulary-sized
/// per-head product is ever made; each layer's W_V', W_O' are derived in turn.
public struct OVCopyingScores: @unchecked Sendable {
    public let layers: Int
    public let heads: Int
    /// Per head (index layer·heads + head), d_head eigenvalues in LAPACK's order.
    public let eigenvalues: [[Eigenvalue]]

    /// Σλ / Σ|λ| per head (index layer·heads + head).
    public var scores: [Double] { eigenvalues.map(\.copyingScore) }

    public func eigenvalues(layer: Int, head: Int) -> [Eigenvalue] { eigenvalues[layer * heads + head] }
    public func score(layer: Int, head: Int) -> Double { eigenvalues(layer: layer, head: head).copyingScore }

    /// All heads' eigenvalues on processed weights.
    public static func compute(_ weights: ProcessedWeights) throws -> OVCopyingScores {
        let unembedEmbed = unembedTimesEmbed(weights)               // [d_model, d_model]
        let H = weights.headCount, d = weights.dModel, dh = weights.dHead
        var all: [[Eigenvalue]] = []
        let projected = Tensor(uninitialized: [H * dh, d])
        let small = Tensor(uninitialized: [dh, dh])
        for l in 0..<weights.layerCount {
            let layer = weights.attention(l)
            // (W_O·W_U·W_E) for the layer's heads at once: [head·d_head, d_model]
            BLAS.gemm(m: H * dh, n: d, k: d, a: layer.wO.pointer, lda: d, b: unembedEmbed.pointer, ldb: d,
                      c: projected.pointer, ldc: d)
            for h in 0..<H {
                BLAS.gemm(m: dh, n: dh, k: d, a: projected.pointer + h * dh * d, lda: d,
                          b: layer.wV.pointer + h * d * dh, ldb: dh, c: small.pointer, ldc: dh)
                all.append(try LAPACK.eigenvalues(ofSquare: small.scalars.map(Double.init), order: dh))
            }
        }
        return OVCopyingScores(layers: weights.layerCount, heads: H, eigenvalues: all)
    }

    /// One head's full-OV-circuit eigenvalues (cheap: three d_model-sized products after W_U·W_E).
    public static func eigenvalues(_ weights: ProcessedWeights, layer: Int, head: Int,
                                   unembedEmbed: Tensor? = nil) throws -> [Eigenvalue] {
        let w = try HeadCircuitWeights(weights, layer: layer, head: head)
        let k = unembedEmbed ?? unembedTimesEmbed(weights)
        let m = w.wO.matmul(k).matmul(w.wV)
        return try LAPACK.eigenvalues(ofSquare: m.scalars.map(Double.init), order: m.shape[0])
    }

    /// W_U·W_E [d_model, d_model]: the vocabulary-sized part of every full OV circuit, formed once
    /// per model.
    public static func unembedTimesEmbed(_ weights: ProcessedWeights) -> Tensor {
        weights.unembedTimesEmbed()
    }
}

import Foundation
import MechModels
import MechTensor

/// The weights as TransformerLens presents them after its default processing (`fold_ln`,
/// `center_writing_weights`, `center_unembed`, `fold_value_biases`), so weight-based analyses
/// (QK/OV circuits, composition, copying scores, direct logit attribution, the logit lens) give the
/// numbers researchers see in TransformerLens. The forward pass itself keeps the raw weights, so
/// cached activations stay identical to Hugging Face's.
///
/// A view over the raw (memory-mapped) weights, never a second copy of the model: it keeps only
/// small per-layer vectors (biases after folding, row means: O(d_model·layers + vocab)), each layer's
/// derived from that one block the first time an analysis asks (`LayerFolding`), so a 16-bit
/// checkpoint converts one block at a time. Big matrices are read through the raw ones (`embedding`,
/// `positionEmbedding`, `unembedding`, `attentionOutput`, `mlpOutput`) or derived per layer
/// (`attention`, `mlp`) or per head (`HeadCircuitWeights`) when asked.
///
/// Layouts follow TransformerLens: W_Q/W_K/W_V [head, d_model, d_head], W_O [head, d_head, d_model],
/// W_in/W_gate [d_model, d_mlp], W_out [d_mlp, d_model], W_U [d_model, d_vocab].
public struct ProcessedWeights: @unchecked Sendable {
    public let config: TransformerConfig
    let raw: TransformerWeights
    /// W_E' [vocab, d_model]: rows centred over d_model (with LayerNorm).
    public let embedding: CentredRows
    /// W_pos' [n_ctx, d_model]: rows centred over d_model (with LayerNorm); nil without learned positions.
    public let positionEmbedding: CentredRows?
    /// W_U' [d_model, vocab] and b_U' [vocab].
    public let unembedding: ProcessedUnembedding
    private let layerFoldings: [Lazy<LayerFolding>]
    private let unembedEmbed: Lazy<Tensor>

    public init(_ model: Transformer) {
        let c = model.config, w = model.weights
        // TransformerLens centres writing weights for LayerNorm models only (not for RMSNorm).
        let centerWriting = c.normalization.centres
        config = c
        raw = w
        let embedding = CentredRows(w.tokenEmbedding, centred: centerWriting)
        let unembedding = ProcessedUnembedding(w, centres: centerWriting)
        self.embedding = embedding
        self.unembedding = unembedding
        positionEmbedding = w.positionEmbedding.map { CentredRows($0, centred: centerWriting) }
        layerFoldings = (0..<c.nLayers).map { l in Lazy { LayerFolding(w.block(l), config: c) } }
        unembedEmbed = Lazy { UnembedEmbedProduct.compute(unembedding, embedding) }
    }

    /// Layer `l`'s folded biases and row means, derived from its block on first use.
    private func folding(_ l: Int) -> LayerFolding { layerFoldings[l].value }

    /// The value biases after ln_1 folding of layer `l` [head, d_head]: what fold_value_biases moved
    /// into b_O, and what turns a cached raw hook_z into the processed model's z (z − b_V).
    public func foldedValueBias(_ l: Int) -> Tensor { folding(l).valueBias }

    /// b_O' of layer `l` [d_model]: centred b_O + Σ_h b_V'[h]·W_O'[h].
    public func attentionBias(_ l: Int) -> Tensor { folding(l).outputBias }

    public var layerCount: Int { config.nLayers }
    public var headCount: Int { config.nHeads }
    public var dHead: Int { config.dHead }
    public var dModel: Int { config.dModel }
    public var vocabularySize: Int { config.vocabSize }

    /// b_U' [vocab].
    public var bU: Tensor { unembedding.bias }

    /// W_O' of layer `l` read through the raw c_proj: [head·d_head, d_model], rows centred (for a
    /// 16-bit checkpoint the raw matrix is a fresh conversion: keep it only while needed).
    public func attentionOutput(_ l: Int) -> CentredRows {
        CentredRows(raw.block(l).attnOut, rowMeans: folding(l).attentionOutputMeans)
    }

    /// W_out' of layer `l` read through the raw mlp.c_proj: [d_mlp, d_model], rows centred; nil
    /// for attention-only models.
    public func mlpOutput(_ l: Int) -> CentredRows? {
        raw.block(l).mlpOut.map { CentredRows($0, rowMeans: folding(l).mlpOutputMeans) }
    }

    /// W_U'·W_E' [d_model, d_model], the vocabulary-sized part of every full OV circuit: formed once
    /// per model (in vocabulary chunks, see `UnembedEmbedProduct`) and kept (d_model² floats).
    public func unembedTimesEmbed() -> Tensor { unembedEmbed.value }
}

import Foundation
import MechModels
import MechTensor

/// The weights as TransformerLens presents them after its default processing (`fold_ln`,
/// `center_writing_weights`, `center_unembed`, `fold_value_biases`), so weight-based analyses
/// (QK/OV circuits, composition, copying scores, direct logit attribution, the logit lens) give the
/// numbers researchers see in TransformerLens. The forward pass itself keeps the raw weights, so
/// cached activations stay identical to Hugging Face's.
///
/// A view over the raw (memory-mapped) weights, never a second copy of the model: construction keeps
/// only small vectors (biases after folding, row means, O(d_model·layers + vocab)); big matrices are
/// read through the raw ones (`embedding`, `positionEmbedding`, `unembedding`, `attentionOutput`,
/// `mlpOutput`) or derived per layer (`attention`, `mlp`) or per head (`HeadCircuitWeights`) when asked.
///
/// Layouts follow TransformerLens: W_Q/W_K/W_V [head, d_model, d_head], W_O [head, d_head, d_model],
/// W_in [d_model, d_mlp], W_out [d_mlp, d_model], W_U [d_model, d_vocab].
public struct ProcessedWeights: @unchecked Sendable {
    public let config: TransformerConfig
    let raw: TransformerWeights
    /// W_E' [vocab, d_model]: rows centred over d_model (with LayerNorm).
    public let embedding: CentredRows
    /// W_pos' [n_ctx, d_model]: rows centred over d_model (with LayerNorm); nil without learned positions.
    public let positionEmbedding: CentredRows?
    /// W_U' [d_model, vocab] and b_U' [vocab].
    public let unembedding: ProcessedUnembedding
    /// The value biases after ln_1 folding, per layer [head, d_head]: what fold_value_biases moved
    /// into b_O, and what turns a cached raw hook_z into the processed model's z (z − b_V).
    public let foldedValueBias: [Tensor]
    /// b_O' per layer [d_model]: centred b_O + Σ_h b_V'[h]·W_O'[h].
    public let attentionBias: [Tensor]
    private let attentionOutputs: [CentredRows]
    private let mlpOutputs: [CentredRows?]
    private let unembedEmbed = Memo<Tensor>()

    public init(_ model: Transformer) {
        let c = model.config, w = model.weights
        let d = c.dModel, heads = c.nHeads, dh = c.dHead
        // TransformerLens centres writing weights for LayerNorm models only (not for RMSNorm).
        let centerWriting = c.normalization.centres
        config = c
        raw = w
        embedding = CentredRows(w.tokenEmbedding, centred: centerWriting)
        positionEmbedding = w.positionEmbedding.map { CentredRows($0, centred: centerWriting) }
        unembedding = ProcessedUnembedding(w, centres: centerWriting)

        var valueBiases: [Tensor] = [], outputBiases: [Tensor] = []
        var outputs: [CentredRows] = [], mlpOuts: [CentredRows?] = []
        for block in w.blocks {
            // b_V' = b_V + ln1_b·W_V per head [head, d_head] (fold_ln's bias part, on the raw W_V).
            let bV = Tensor(uninitialized: [heads, dh])
            let V = Tensor(uninitialized: [d, dh])
            for h in 0..<heads {
                Self.gatherBias(block, .value, head: h, config: c, into: bV.pointer + h * dh)
                if let ln = block.ln1 {
                    Self.gatherHead(block, .value, head: h, config: c, into: V.pointer)
                    BLAS.gemv(transposeA: true, rows: d, cols: dh, a: V.pointer, lda: dh, x: ln.bias.pointer,
                              beta: 1, y: bV.pointer + h * dh)
                }
            }
            valueBiases.append(bV)
            // b_O' = centre(centre(b_O) + W_Oᵀ·b_V'): with W_O' = W_O − μ·1ᵀ, W_O'ᵀ·b_V' differs from
            // W_Oᵀ·b_V' by a constant, which the centring removes.
            let wO = CentredRows(block.attnOut, centred: centerWriting)      // [head·d_head, d_model]
            let bO = block.attnOutBias.copy()
            if centerWriting { WeightFolding.centerRows(bO.reshaped([1, d])) }
            BLAS.gemv(transposeA: true, rows: heads * dh, cols: d, a: block.attnOut.pointer, lda: d,
                      x: bV.pointer, beta: 1, y: bO.pointer)
            if centerWriting { WeightFolding.centerRows(bO.reshaped([1, d])) }
            outputBiases.append(bO)
            outputs.append(wO)
            mlpOuts.append(block.mlpOut.map { CentredRows($0, centred: centerWriting) })
        }
        foldedValueBias = valueBiases
        attentionBias = outputBiases
        attentionOutputs = outputs
        mlpOutputs = mlpOuts
    }

    public var layerCount: Int { config.nLayers }
    public var headCount: Int { config.nHeads }
    public var dHead: Int { config.dHead }
    public var dModel: Int { config.dModel }
    public var vocabularySize: Int { config.vocabSize }

    /// b_U' [vocab].
    public var bU: Tensor { unembedding.bias }

    /// W_O' of layer `l` read through the raw c_proj: [head·d_head, d_model], rows centred.
    public func attentionOutput(_ l: Int) -> CentredRows { attentionOutputs[l] }

    /// W_out' of layer `l` read through the raw mlp.c_proj: [d_mlp, d_model], rows centred; nil
    /// for attention-only models.
    public func mlpOutput(_ l: Int) -> CentredRows? { mlpOutputs[l] }

    /// W_U'·W_E' [d_model, d_model], the vocabulary-sized part of every full OV circuit: formed once
    /// per model (in vocabulary chunks, see `UnembedEmbedProduct`) and kept (d_model² floats).
    public func unembedTimesEmbed() -> Tensor {
        unembedEmbed.value { UnembedEmbedProduct.compute(unembedding, embedding) }
    }
}

/// A value computed on first use and kept, safe to ask for from several threads.
final class Memo<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func value(_ make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let stored { return stored }
        let made = make()
        stored = made
        return made
    }
}

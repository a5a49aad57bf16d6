import MechModels
import MechTensor

/// The weights as TransformerLens presents them after its default processing (`fold_ln`,
/// `center_writing_weights`, `center_unembed`, `fold_value_biases`), derived once from the raw
/// checkpoint, so weight-based analyses (QK/OV circuits, composition, copying scores, direct logit
/// attribution) give the numbers researchers see in TransformerLens. The forward pass itself keeps
/// the raw weights, so cached activations stay identical to Hugging Face's.
///
/// Layouts follow TransformerLens: W_Q/W_K/W_V [head, d_model, d_head], W_O [head, d_head, d_model],
/// W_in [d_model, d_mlp], W_out [d_mlp, d_model], W_U [d_model, d_vocab].
public struct ProcessedWeights: @unchecked Sendable {
    public struct Layer {
        public let wQ, wK, wV: Tensor      // [head, d_model, d_head]
        public let bQ, bK: Tensor          // [head, d_head]   (b_V is folded into b_O, so it is zero)
        public let wO: Tensor              // [head, d_head, d_model]
        public let bO: Tensor              // [d_model]
        public let wIn: Tensor?            // [d_model, d_mlp]
        public let bIn: Tensor?            // [d_mlp]
        public let wOut: Tensor?           // [d_mlp, d_model]
        public let bOut: Tensor?           // [d_model]
    }

    public let wE: Tensor                  // [d_vocab, d_model]
    public let wPos: Tensor                // [n_ctx, d_model]
    public let layers: [Layer]
    public let wU: Tensor                  // [d_model, d_vocab]
    public let bU: Tensor                  // [d_vocab]
    /// The value biases after ln_1 folding, per layer [head, d_head]: what fold_value_biases moved
    /// into b_O, and what turns a cached raw hook_z into the processed model's z (z − b_V).
    public let foldedValueBias: [Tensor]

    public init(_ model: Transformer) {
        let c = model.config, w = model.weights
        let d = c.dModel, heads = c.nHeads, dh = c.dHead, vocab = c.vocabSize
        let centerWriting = c.hasLayerNorm

        // Embeddings: centred over d_model when the model has LayerNorm.
        wE = w.tokenEmbedding.copy()
        wPos = w.positionEmbedding.copy()
        if centerWriting { Self.centerRows(wE); Self.centerRows(wPos) }

        var layers: [Layer] = []
        var rawVB: [Tensor] = []
        for l in 0..<c.nLayers {
            let b = w.blocks[l]
            // Split c_attn [d, 3d] into per-head [head, d, d_head] blocks, folding ln_1 in.
            func split(_ part: Int) -> (Tensor, Tensor) {
                let W = Tensor(uninitialized: [heads, d, dh]), bias = Tensor(uninitialized: [heads, dh])
                let src = b.qkv.pointer, dst = W.pointer
                for h in 0..<heads {
                    (bias.pointer + h * dh).update(from: b.qkvBias.pointer + part * d + h * dh, count: dh)
                    for i in 0..<d {
                        (dst + (h * d + i) * dh).update(from: src + i * 3 * d + part * d + h * dh, count: dh)
                    }
                }
                if let ln = b.ln1 { Self.foldLayerNorm(into: W, bias: bias, ln: ln, blocks: heads, rows: d, cols: dh) }
                return (W, bias)
            }
            let (wQ, bQ) = split(0), (wK, bK) = split(1), (wV, bV) = split(2)
            rawVB.append(bV)

            // W_O [head, d_head, d]; centred over d_model; b_O gets Σ_h b_V[h]·W_O[h].
            let wO = w.blocks[l].attnOut.copy().reshaped([heads, dh, d])
            let bO = b.attnOutBias.copy()
            if centerWriting { Self.centerRows(wO.reshaped([heads * dh, d])); Self.centerRows(bO.reshaped([1, d])) }
            for h in 0..<heads {
                BLAS.gemv(transposeA: true, rows: dh, cols: d, a: wO.pointer + h * dh * d, lda: d,
                          x: bV.pointer + h * dh, beta: 1, y: bO.pointer)
            }
            if centerWriting { Self.centerRows(bO.reshaped([1, d])) }

            var wIn: Tensor?, bIn: Tensor?, wOut: Tensor?, bOut: Tensor?
            if let rawIn = b.mlpIn, let rawInBias = b.mlpInBias, let rawOut = b.mlpOut, let rawOutBias = b.mlpOutBias {
                let dMLP = c.dMLP
                let W = rawIn.copy(), bias = rawInBias.copy()
                if let ln = b.ln2 { Self.foldLayerNorm(into: W.reshaped([1, d, dMLP]), bias: bias, ln: ln, blocks: 1, rows: d, cols: dMLP) }
                wIn = W
                bIn = bias
                wOut = rawOut.copy()
                bOut = rawOutBias.copy()
                if centerWriting { Self.centerRows(wOut!); Self.centerRows(bOut!.reshaped([1, d])) }
            }
            layers.append(Layer(wQ: wQ, wK: wK, wV: wV, bQ: bQ, bK: bK, wO: wO, bO: bO,
                                wIn: wIn, bIn: bIn, wOut: wOut, bOut: bOut))
        }
        self.layers = layers
        foldedValueBias = rawVB

        // W_U [d, vocab] from the [vocab, d] unembedding; fold ln_final; centre over the vocabulary.
        let U = Tensor(uninitialized: [d, vocab])
        let raw = w.unembedding.pointer, dst = U.pointer
        // Transpose in tiles so both sides stay in cache.
        let tile = 64
        for v0 in stride(from: 0, to: vocab, by: tile) {
            for i0 in stride(from: 0, to: d, by: tile) {
                for v in v0..<min(v0 + tile, vocab) {
                    for i in i0..<min(i0 + tile, d) { dst[i * vocab + v] = raw[v * d + i] }
                }
            }
        }
        let bias = w.unembeddingBias?.copy() ?? Tensor(zeros: [vocab])
        if let ln = w.lnFinal { Self.foldLayerNorm(into: U.reshaped([1, d, vocab]), bias: bias, ln: ln, blocks: 1, rows: d, cols: vocab) }
        Self.centerRows(U)  // center_unembed: each d_model row of W_U centred over the vocabulary
        Self.centerRows(bias.reshaped([1, vocab]))
        wU = U
        bU = bias
    }

    /// fold_ln with fold_biases and center_weights: b += ln_b·W, W = diag(ln_w)·W, then W is centred
    /// over its input (d_model) axis. `W` is [blocks, rows = d_model, cols], `bias` [blocks, cols].
    private static func foldLayerNorm(into W: Tensor, bias: Tensor, ln: LayerNormWeights, blocks: Int, rows: Int, cols: Int) {
        for blk in 0..<blocks {
            let base = W.pointer + blk * rows * cols
            BLAS.gemv(transposeA: true, rows: rows, cols: cols, a: base, lda: cols, x: ln.bias.pointer,
                      beta: 1, y: bias.pointer + blk * cols)
            var mean = [Float](repeating: 0, count: cols)
            for i in 0..<rows {
                let s = ln.weight.pointer[i]
                for j in 0..<cols { base[i * cols + j] *= s; mean[j] += base[i * cols + j] }
            }
            for j in 0..<cols { mean[j] /= Float(rows) }
            for i in 0..<rows { for j in 0..<cols { base[i * cols + j] -= mean[j] } }
        }
    }

    /// Subtracts each row's mean from it (centring a [n, d] matrix over its last axis).
    private static func centerRows(_ x: Tensor) {
        let d = x.shape.last!
        for r in 0..<(x.count / d) {
            let p = x.pointer + r * d
            let mean = Reduce.sum(p, count: d) / Float(d)
            for i in 0..<d { p[i] -= mean }
        }
    }
}

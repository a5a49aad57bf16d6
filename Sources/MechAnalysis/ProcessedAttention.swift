import MechModels
import MechTensor

extension ProcessedWeights {
    /// One layer's attention weights after processing, derived on demand from the raw block
    /// (a fresh copy: ~4·d_model² floats, 9.4 MB for GPT-2 small; drop it when done).
    public struct Attention: @unchecked Sendable {
        public let wQ, wK, wV: Tensor      // [head, d_model, d_head]  (ln_1 folded in, centred over d_model)
        public let bQ, bK: Tensor          // [head, d_head]           (b_V is folded into b_O, so it is zero)
        public let wO: Tensor              // [head, d_head, d_model]  (rows centred over d_model)
        public let bO: Tensor              // [d_model]                (with Σ_h b_V'[h]·W_O'[h])
    }

    /// Layer `l`'s attention weights, as TransformerLens's processed `blocks[l].attn`.
    public func attention(_ l: Int) -> Attention {
        let block = raw.block(l), heads = config.nHeads, d = config.dModel, dh = config.dHead
        func part(_ p: QKVPart) -> (Tensor, Tensor) {
            let W = Tensor(uninitialized: [heads, d, dh]), bias = Tensor(uninitialized: [heads, dh])
            for h in 0..<heads {
                Self.gatherHead(block, p, head: h, config: config, into: W.pointer + h * d * dh)
                Self.gatherBias(block, p, head: h, config: config, into: bias.pointer + h * dh)
            }
            if let ln = block.ln1 { WeightFolding.foldLayerNorm(into: W, bias: bias, ln: ln, blocks: heads, rows: d, cols: dh,
                                        centre: config.normalization.centres) }
            return (W, bias)
        }
        let (wQ, bQ) = part(.query), (wK, bK) = part(.key), (wV, _) = part(.value)
        let wO = attentionOutput(l).rows(0..<(heads * dh)).reshaped([heads, dh, d])
        return Attention(wQ: wQ, wK: wK, wV: wV, bQ: bQ, bK: bK, wO: wO, bO: attentionBias(l))
    }

    /// Throws `HeadAnalysisError.headOutOfRange` for a head the model does not have.
    public func checkHead(layer: Int, head: Int) throws {
        guard layer >= 0, layer < layerCount, head >= 0, head < headCount else {
            throw HeadAnalysisError.headOutOfRange(layer: layer, head: head, layers: layerCount, heads: headCount)
        }
    }

    /// One head's W_Q', W_K', W_V' [d_model, d_head] and W_O' [d_head, d_model], derived alone.
    func headMatrices(layer l: Int, head h: Int) -> (wQ: Tensor, wK: Tensor, wV: Tensor, wO: Tensor) {
        let (wV, wO) = headValueOutput(layer: l, head: h)
        return (headInput(.query, layer: l, head: h), headInput(.key, layer: l, head: h), wV, wO)
    }

    /// One head's W_V' [d_model, d_head] and W_O' [d_head, d_model] (its OV circuit), derived alone.
    func headValueOutput(layer l: Int, head h: Int) -> (wV: Tensor, wO: Tensor) {
        let dh = config.dHead
        return (headInput(.value, layer: l, head: h), attentionOutput(l).rows((h * dh)..<((h + 1) * dh)))
    }

    /// One head's W_Q', W_K' or W_V' [d_model, d_head]: its c_attn block with ln_1 folded in.
    func headInput(_ p: QKVPart, layer l: Int, head h: Int) -> Tensor {
        let block = raw.block(l), d = config.dModel, dh = config.dHead
        let W = Tensor(uninitialized: [d, dh])
        Self.gatherHead(block, p, head: h, config: config, into: W.pointer)
        if let ln = block.ln1 { WeightFolding.foldLayerNorm(into: W, bias: nil, ln: ln, blocks: 1, rows: d, cols: dh,
                                        centre: config.normalization.centres) }
        return W
    }

    /// The query, key and value projections.
    enum QKVPart: Int { case query = 0, key = 1, value = 2 }

    /// The matrix [d_model, heads·d_head] and bias of one projection, and which of its heads query
    /// head `head` reads: itself for W_Q, its key/value head under grouped-query attention (as
    /// TransformerLens's W_K/W_V properties repeat `_W_K`/`_W_V` per query head).
    static func projection(_ block: BlockWeights, _ part: QKVPart, head: Int,
                           config: TransformerConfig) -> (WeightMatrix, Tensor, Int) {
        let group = config.architecture.attention.groupSize
        switch part {
        case .query: return (block.wQ, block.bQ, head)
        case .key: return (block.wK, block.bK, head / group)
        case .value: return (block.wV, block.bV, head / group)
        }
    }

    /// Copies query head `head`'s [d_model, d_head] block of one projection into `dst`.
    static func gatherHead(_ block: BlockWeights, _ part: QKVPart, head: Int, config: TransformerConfig,
                           into dst: UnsafeMutablePointer<Float>) {
        let (w, _, index) = projection(block, part, head: head, config: config), dh = config.dHead
        let src = w.pointer + index * dh
        for i in 0..<w.rows { (dst + i * dh).update(from: src + i * w.ld, count: dh) }
    }

    /// Copies query head `head`'s [d_head] bias of one projection into `dst`.
    static func gatherBias(_ block: BlockWeights, _ part: QKVPart, head: Int, config: TransformerConfig,
                           into dst: UnsafeMutablePointer<Float>) {
        let (_, bias, index) = projection(block, part, head: head, config: config), dh = config.dHead
        dst.update(from: bias.pointer + index * dh, count: dh)
    }
}

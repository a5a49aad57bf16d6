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
        let block = raw.blocks[l], heads = config.nHeads, d = config.dModel, dh = config.dHead
        func part(_ p: QKVPart) -> (Tensor, Tensor) {
            let W = Tensor(uninitialized: [heads, d, dh]), bias = Tensor(uninitialized: [heads, dh])
            for h in 0..<heads {
                Self.gatherHead(block, p, head: h, d: d, dh: dh, into: W.pointer + h * d * dh)
                (bias.pointer + h * dh).update(from: block.qkvBias.pointer + p.rawValue * d + h * dh, count: dh)
            }
            if let ln = block.ln1 { WeightFolding.foldLayerNorm(into: W, bias: bias, ln: ln, blocks: heads, rows: d, cols: dh) }
            return (W, bias)
        }
        let (wQ, bQ) = part(.query), (wK, bK) = part(.key), (wV, _) = part(.value)
        let wO = attentionOutput(l).rows(0..<(heads * dh)).reshaped([heads, dh, d])
        return Attention(wQ: wQ, wK: wK, wV: wV, bQ: bQ, bK: bK, wO: wO, bO: attentionBias[l])
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
        let block = raw.blocks[l], d = config.dModel, dh = config.dHead
        let W = Tensor(uninitialized: [d, dh])
        Self.gatherHead(block, p, head: h, d: d, dh: dh, into: W.pointer)
        if let ln = block.ln1 { WeightFolding.foldLayerNorm(into: W, bias: nil, ln: ln, blocks: 1, rows: d, cols: dh) }
        return W
    }

    /// The query, key and value thirds of GPT-2's c_attn [d_model, 3·d_model] (columns q | k | v).
    enum QKVPart: Int { case query = 0, key = 1, value = 2 }

    /// Copies head `head`'s [d_model, d_head] block of one part of c_attn into `dst`.
    static func gatherHead(_ block: BlockWeights, _ part: QKVPart, head: Int, d: Int, dh: Int,
                           into dst: UnsafeMutablePointer<Float>) {
        let src = block.qkv.pointer + part.rawValue * d + head * dh
        for i in 0..<d { (dst + i * dh).update(from: src + i * 3 * d, count: dh) }
    }
}

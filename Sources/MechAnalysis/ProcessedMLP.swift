import MechModels
import MechTensor

extension ProcessedWeights {
    /// One layer's MLP weights after processing, derived on demand (a fresh copy of both matrices).
    public struct MLP: @unchecked Sendable {
        public let wIn: Tensor             // [d_model, d_mlp]  (ln_2 folded in, centred over d_model)
        public let bIn: Tensor             // [d_mlp]
        public let wOut: Tensor            // [d_mlp, d_model]  (rows centred over d_model)
        public let bOut: Tensor            // [d_model]         (centred)
    }

    /// Layer `l`'s MLP weights, as TransformerLens's processed `blocks[l].mlp`; nil for attention-only models.
    public func mlp(_ l: Int) -> MLP? {
        let block = raw.block(l)
        guard let rawIn = block.mlpIn, let rawInBias = block.mlpInBias, let rawOutBias = block.mlpOutBias,
              let out = mlpOutput(l) else { return nil }
        let d = config.dModel, dMLP = config.dMLP
        let wIn = rawIn.copy(), bIn = rawInBias.copy()
        if let ln = block.ln2 {
            WeightFolding.foldLayerNorm(into: wIn.reshaped([1, d, dMLP]), bias: bIn, ln: ln, blocks: 1, rows: d, cols: dMLP,
                                        centre: config.normalization.centres)
        }
        let bOut = rawOutBias.copy()
        if out.isCentred { WeightFolding.centerRows(bOut.reshaped([1, d])) }
        return MLP(wIn: wIn, bIn: bIn, wOut: out.rows(0..<dMLP), bOut: bOut)
    }
}

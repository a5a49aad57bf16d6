import MechModels
import MechTensor

extension ProcessedWeights {
    /// One layer's MLP weights after processing, derived on demand (a fresh copy of both matrices).
    public struct MLP: @unchecked Sendable {
        public let wIn: Tensor             // [d_model, d_mlp]  (ln_2 folded in, centred over d_model)
        public let bIn: Tensor             // [d_mlp]
        /// Gated MLPs (SwiGLU/GeGLU) only: W_gate [d_model, d_mlp] with ln_2 folded in as into W_in,
        /// and its bias [d_mlp] (zeros when the checkpoint has none); the neuron's activation is
        /// act(x·W_gate + b_gate) ⊙ (x·W_in + b_in), TransformerLens's `hook_pre` being the gate.
        public let wGate: Tensor?
        public let bGate: Tensor?
        public let wOut: Tensor            // [d_mlp, d_model]  (rows centred over d_model)
        public let bOut: Tensor            // [d_model]         (centred)
    }

    /// Layer `l`'s MLP weights, as TransformerLens's processed `blocks[l].mlp`; nil for attention-only models.
    public func mlp(_ l: Int) -> MLP? {
        let block = raw.block(l)
        guard let rawIn = block.mlpIn, let rawInBias = block.mlpInBias, let rawOutBias = block.mlpOutBias,
              let out = mlpOutput(l) else { return nil }
        let d = config.dModel, dMLP = config.dMLP
        func folded(_ weight: Tensor, _ bias: Tensor) -> (Tensor, Tensor) {
            let w = weight.copy(), b = bias.copy()
            if let ln = block.ln2 {
                WeightFolding.foldLayerNorm(into: w.reshaped([1, d, dMLP]), bias: b, ln: ln, blocks: 1, rows: d, cols: dMLP,
                                            centre: config.normalization.centres)
            }
            return (w, b)
        }
        let (wIn, bIn) = folded(rawIn, rawInBias)
        let gate = block.mlpGate.map { folded($0, block.mlpGateBias ?? Tensor(zeros: [dMLP])) }
        let bOut = rawOutBias.copy()
        if out.isCentred { WeightFolding.centerRows(bOut.reshaped([1, d])) }
        return MLP(wIn: wIn, bIn: bIn, wGate: gate?.0, bGate: gate?.1, wOut: out.rows(0..<dMLP), bOut: bOut)
    }
}

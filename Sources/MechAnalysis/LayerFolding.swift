import MechModels
import MechTensor

/// The small per-layer results of TransformerLens's weight processing that analyses read again and
/// again, derived from one raw block: the value biases after `fold_ln`, b_O after
/// `fold_value_biases` and centring, and the row means that centre W_O and W_out
/// (`center_writing_weights`, LayerNorm models only).
struct LayerFolding: @unchecked Sendable {
    let valueBias: Tensor              // b_V' [head, d_head]
    let outputBias: Tensor             // b_O' [d_model]
    let attentionOutputMeans: Tensor?  // [head·d_head]: row means of W_O (nil when not centring)
    let mlpOutputMeans: Tensor?        // [d_mlp]: row means of W_out (nil when not centring or no MLP)

    init(_ block: BlockWeights, config c: TransformerConfig) {
        let d = c.dModel, heads = c.nHeads, dh = c.dHead
        let centerWriting = c.normalization.centres
        // b_V' = b_V + ln1_b·W_V per head [head, d_head] (fold_ln's bias part, on the raw W_V).
        let bV = Tensor(uninitialized: [heads, dh])
        let V = Tensor(uninitialized: [d, dh])
        for h in 0..<heads {
            ProcessedWeights.gatherBias(block, .value, head: h, config: c, into: bV.pointer + h * dh)
            if let ln = block.ln1 {
                ProcessedWeights.gatherHead(block, .value, head: h, config: c, into: V.pointer)
                BLAS.gemv(transposeA: true, rows: d, cols: dh, a: V.pointer, lda: dh, x: ln.bias.pointer,
                          beta: 1, y: bV.pointer + h * dh)
            }
        }
        // b_O' = centre(centre(b_O) + W_Oᵀ·b_V'): with W_O' = W_O − μ·1ᵀ, W_O'ᵀ·b_V' differs from
        // W_Oᵀ·b_V' by a constant, which the centring removes.
        let bO = block.attnOutBias.copy()
        if centerWriting { WeightFolding.centerRows(bO.reshaped([1, d])) }
        BLAS.gemv(transposeA: true, rows: heads * dh, cols: d, a: block.attnOut.pointer, lda: d,
                  x: bV.pointer, beta: 1, y: bO.pointer)
        if centerWriting { WeightFolding.centerRows(bO.reshaped([1, d])) }
        valueBias = bV
        outputBias = bO
        attentionOutputMeans = centerWriting ? CentredRows.rowMeans(of: block.attnOut) : nil
        mlpOutputMeans = centerWriting ? block.mlpOut.map(CentredRows.rowMeans(of:)) : nil
    }
}

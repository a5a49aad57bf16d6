import MechTensor

/// One attention head's processed weight matrices as views into `ProcessedWeights` (no copies):
/// W_Q, W_K, W_V [d_model, d_head] and W_O [d_head, d_model], plus its two circuits.
public struct HeadCircuitWeights: @unchecked Sendable {
    public let layer: Int
    public let head: Int
    public let wQ: Tensor
    public let wK: Tensor
    public let wV: Tensor
    public let wO: Tensor

    /// The views for head `head` of layer `layer`; throws for a head the model does not have.
    public init(_ weights: ProcessedWeights, layer: Int, head: Int) throws {
        let layers = weights.layers.count, heads = weights.layers.first?.wQ.shape[0] ?? 0
        guard layer >= 0, layer < layers, head >= 0, head < heads else {
            throw HeadAnalysisError.headOutOfRange(layer: layer, head: head, layers: layers, heads: heads)
        }
        let w = weights.layers[layer]
        let d = w.wQ.shape[1], dh = w.wQ.shape[2]
        self.layer = layer
        self.head = head
        wQ = Tensor(shape: [d, dh], buffer: w.wQ.buffer, offset: w.wQ.offset + head * d * dh)
        wK = Tensor(shape: [d, dh], buffer: w.wK.buffer, offset: w.wK.offset + head * d * dh)
        wV = Tensor(shape: [d, dh], buffer: w.wV.buffer, offset: w.wV.offset + head * d * dh)
        wO = Tensor(shape: [dh, d], buffer: w.wO.buffer, offset: w.wO.offset + head * dh * d)
    }

    /// The OV circuit W_V·W_O [d_model, d_model] (TransformerLens `model.OV[layer, head]`).
    public var ov: FactoredMatrix { FactoredMatrix(wV, wO) }

    /// The QK circuit W_Q·W_Kᵀ [d_model, d_model] (TransformerLens `model.QK[layer, head]`):
    /// the bilinear form of attention scores, without biases or the 1/√d_head scale.
    public var qk: FactoredMatrix { FactoredMatrix(wQ, wK.transposedCopy()) }

    /// "L1H3", TransformerLens's head label.
    public var label: String { "L\(layer)H\(head)" }
}

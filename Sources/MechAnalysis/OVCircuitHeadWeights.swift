import MechTensor

/// One attention head's processed weight matrices: W_Q', W_K', W_V' [d_model, d_head] and
/// W_O' [d_head, d_model], plus its two circuits.
public struct HeadCircuitWeights: @unchecked Sendable {
    public let layer: Int
    public let head: Int
    public let wQ: Tensor
    public let wK: Tensor
    public let wV: Tensor
    public let wO: Tensor

    /// Head `head` of layer `layer`, derived alone from the raw weights (4·d_model·d_head floats);
    /// throws for a head the model does not have.
    public init(_ weights: ProcessedWeights, layer: Int, head: Int) throws {
        try weights.checkHead(layer: layer, head: head)
        self.layer = layer
        self.head = head
        (wQ, wK, wV, wO) = weights.headMatrices(layer: layer, head: head)
    }

    /// Head `head` as views into a layer already derived with `ProcessedWeights.attention(layer)` (no copies).
    public init(_ attention: ProcessedWeights.Attention, layer: Int, head: Int) {
        let d = attention.wQ.shape[1], dh = attention.wQ.shape[2]
        self.layer = layer
        self.head = head
        func block(_ t: Tensor, _ shape: [Int]) -> Tensor { Tensor(shape: shape, buffer: t.buffer, offset: t.offset + head * d * dh) }
        wQ = block(attention.wQ, [d, dh])
        wK = block(attention.wK, [d, dh])
        wV = block(attention.wV, [d, dh])
        wO = block(attention.wO, [dh, d])
    }

    /// The OV circuit W_V·W_O [d_model, d_model] (TransformerLens `model.OV[layer, head]`).
    public var ov: FactoredMatrix { FactoredMatrix(wV, wO) }

    /// The QK circuit W_Q·W_Kᵀ [d_model, d_model] (TransformerLens `model.QK[layer, head]`):
    /// the bilinear form of attention scores, without biases or the 1/√d_head scale.
    public var qk: FactoredMatrix { FactoredMatrix(wQ, wK.transposedCopy()) }

    /// "L1H3", TransformerLens's head label.
    public var label: String { "L\(layer)H\(head)" }
}

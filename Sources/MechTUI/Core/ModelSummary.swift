import MechModels

/// The shape of the open model, as the views need it (nothing GPT-2-specific).
public struct ModelSummary: Equatable, Sendable {
    public let name: String
    public let layers: Int
    public let heads: Int
    public let dModel: Int
    public let dHead: Int
    /// 0 for attention-only models.
    public let dMLP: Int
    public let vocabSize: Int
    public let context: Int
    public let hasMLP: Bool
    public let hasFinalNorm: Bool
    /// The tokenizer's beginning-of-sequence token, when the config names one.
    public let bosToken: Int?
    /// A toy superposition model (no layers, no prompt): only the features page applies.
    public let isToy: Bool

    /// A toy superposition model of `features` features in `hidden` dimensions.
    public init(toyName name: String, features: Int, hidden: Int) {
        self.name = name
        layers = 0
        heads = 0
        dModel = hidden
        dHead = 0
        dMLP = 0
        vocabSize = features
        context = 0
        hasMLP = false
        hasFinalNorm = false
        bosToken = nil
        isToy = true
    }

    public init(name: String, config c: TransformerConfig) {
        self.name = name
        layers = c.nLayers
        heads = c.nHeads
        dModel = c.dModel
        dHead = c.dHead
        dMLP = c.attnOnly ? 0 : c.dMLP
        vocabSize = c.vocabSize
        context = c.nContext
        hasMLP = !c.attnOnly && c.dMLP > 0
        hasFinalNorm = c.hasLayerNorm
        bosToken = c.bosTokenID
        isToy = false
    }

    /// "2L × 4H, d_model 128, attn-only" for the title line.
    public var shapeText: String {
        if isToy { return "toy: \(vocabSize) features in \(dModel) dims" }
        return "\(layers)L×\(heads)H d\(dModel)" + (hasMLP ? " mlp\(dMLP)" : " attn-only")
    }
}

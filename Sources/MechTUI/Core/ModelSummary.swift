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
    /// The config's model_type ("bert", "gpt2", …), for messages.
    public let modelType: String
    /// Whether the model ends in an LM head: next-token pages, DLA, OV circuits read through W_U.
    public let hasLMHead: Bool
    /// Whether attention reads only earlier positions (false for BERT encoders): induction scores.
    public let isCausal: Bool

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
        modelType = "toy_superposition"
        hasLMHead = false
        isCausal = true
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
        hasFinalNorm = c.architecture.finalNorm
        bosToken = c.bosTokenID
        isToy = false
        modelType = c.modelType
        hasLMHead = c.architecture.lmHead
        isCausal = c.architecture.attention.causal
    }

    /// "2L × 4H, d_model 128, attn-only" for the title line.
    public var shapeText: String {
        if isToy { return "toy: \(vocabSize) features in \(dModel) dims" }
        return "\(layers)L×\(heads)H d\(dModel)" + (hasMLP ? " mlp\(dMLP)" : " attn-only")
    }
}

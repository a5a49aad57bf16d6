import MechTensor

/// The shape and conventions of a GPT-2-family transformer, whatever folder it came from.
public struct TransformerConfig: Sendable, Equatable {
    /// Which `model_type` the config named ("gpt2" or Mechscope's own "mechscope_transformer").
    public var modelType: String
    public var nLayers: Int
    public var dModel: Int
    public var nHeads: Int
    public var dHead: Int { dModel / nHeads }
    /// MLP width; 0 for attention-only models.
    public var dMLP: Int
    public var nContext: Int
    public var vocabSize: Int
    public var attnOnly: Bool
    /// LayerNorm ε, or nil for models without LayerNorm.
    public var layerNormEpsilon: Float?
    public var activation: Activation
    /// Whether the unembedding is the embedding matrix (GPT-2's `lm_head` tied to `wte`).
    public var tiedEmbeddings: Bool
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    /// Whether the model was trained with a BOS token first (Mechscope's `prepend_bos` config key);
    /// nil when the config does not say.
    public var prependBOS: Bool?

    public var hasLayerNorm: Bool { layerNormEpsilon != nil }

    public init(modelType: String = "gpt2", nLayers: Int, dModel: Int, nHeads: Int, dMLP: Int, nContext: Int,
                vocabSize: Int, attnOnly: Bool = false, layerNormEpsilon: Float? = 1e-5,
                activation: Activation = .geluNew, tiedEmbeddings: Bool = true,
                bosTokenID: Int? = nil, eosTokenID: Int? = nil) {
        self.modelType = modelType
        self.nLayers = nLayers
        self.dModel = dModel
        self.nHeads = nHeads
        self.dMLP = dMLP
        self.nContext = nContext
        self.vocabSize = vocabSize
        self.attnOnly = attnOnly
        self.layerNormEpsilon = layerNormEpsilon
        self.activation = activation
        self.tiedEmbeddings = tiedEmbeddings
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
    }

    /// Parameters in the blocks, embeddings and unembedding (tied weights counted once).
    public var parameterCount: Int {
        let ln = hasLayerNorm ? 2 * dModel : 0
        let attn = dModel * 3 * dModel + 3 * dModel + dModel * dModel + dModel
        let mlp = attnOnly ? 0 : dModel * dMLP + dMLP + dMLP * dModel + dModel + ln
        let block = ln + attn + mlp
        let embed = vocabSize * dModel + nContext * dModel
        let unembed = tiedEmbeddings ? 0 : vocabSize * dModel + (modelType == "gpt2" ? 0 : vocabSize)
        return nLayers * block + embed + ln + unembed
    }
}

import MechTensor

/// The shape and conventions of a decoder-only transformer, whatever folder it came from: sizes
/// here, the architecture's parts in `architecture` (see ArchitectureSpec.swift).
public struct TransformerConfig: Sendable, Equatable {
    /// Which `model_type` the config named ("gpt2", "llama", "mistral", "qwen2", "gpt_neox", or
    /// Mechscope's own "mechscope_transformer").
    public var modelType: String
    public var nLayers: Int
    public var dModel: Int
    /// MLP width; 0 for attention-only models.
    public var dMLP: Int
    public var nContext: Int
    public var vocabSize: Int
    public var attnOnly: Bool
    public var architecture: ArchitectureSpec
    public var bosTokenID: Int?
    public var eosTokenID: Int?
    /// Whether the model was trained with a BOS token first (Mechscope's `prepend_bos` config key);
    /// nil when the config does not say.
    public var prependBOS: Bool?

    public var nHeads: Int { architecture.attention.nHeads }
    public var nKVHeads: Int { architecture.attention.nKVHeads }
    public var dHead: Int { architecture.attention.dHead }
    public var normalization: Normalization { architecture.normalization }
    public var positions: PositionEncoding { architecture.positions }
    public var activation: Activation { architecture.mlp.activation }
    public var tiedEmbeddings: Bool {
        get { architecture.tiedEmbeddings }
        set { architecture.tiedEmbeddings = newValue }
    }
    /// The normalisation's ε, or nil for models without normalisation.
    public var layerNormEpsilon: Float? { normalization.exists ? normalization.epsilon : nil }
    /// Whether the blocks and the unembedding are preceded by a normalisation (LayerNorm or RMSNorm):
    /// the ln1/ln2/ln_final hooks exist.
    public var hasLayerNorm: Bool { normalization.exists }

    /// A GPT-2-family config (learned positions, fused attention, LayerNorm unless ε is nil).
    public init(modelType: String = "gpt2", nLayers: Int, dModel: Int, nHeads: Int, dMLP: Int, nContext: Int,
                vocabSize: Int, attnOnly: Bool = false, layerNormEpsilon: Float? = 1e-5,
                activation: Activation = .geluNew, tiedEmbeddings: Bool = true,
                bosTokenID: Int? = nil, eosTokenID: Int? = nil) {
        let architecture = ArchitectureSpec(
            normalization: layerNormEpsilon.map { Normalization(.layerNorm, epsilon: $0) } ?? .none,
            positions: .learned,
            attention: AttentionSpec(nHeads: nHeads, nKVHeads: nHeads, dHead: dModel / nHeads, qkvBias: true, outBias: true),
            mlp: MLPSpec(gated: false, activation: activation, bias: true),
            tiedEmbeddings: tiedEmbeddings)
        self.init(modelType: modelType, nLayers: nLayers, dModel: dModel, dMLP: dMLP, nContext: nContext,
                  vocabSize: vocabSize, attnOnly: attnOnly, architecture: architecture,
                  bosTokenID: bosTokenID, eosTokenID: eosTokenID)
    }

    public init(modelType: String, nLayers: Int, dModel: Int, dMLP: Int, nContext: Int, vocabSize: Int,
                attnOnly: Bool = false, architecture: ArchitectureSpec, bosTokenID: Int? = nil, eosTokenID: Int? = nil) {
        self.modelType = modelType
        self.nLayers = nLayers
        self.dModel = dModel
        self.dMLP = dMLP
        self.nContext = nContext
        self.vocabSize = vocabSize
        self.attnOnly = attnOnly
        self.architecture = architecture
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
    }

    /// Parameters in the blocks, embeddings and unembedding (tied weights counted once; an encoder's
    /// pooler, which Mechscope does not read, is not counted).
    public var parameterCount: Int {
        let a = architecture, d = dModel
        let normParams: Int
        switch a.normalization.kind {
        case .layerNorm: normParams = 2 * d
        case .layerNormWithoutBias, .rmsNorm: normParams = d
        case .none: normParams = 0
        }
        let qkvWidth = (nHeads + 2 * nKVHeads) * dHead
        let attn = d * qkvWidth + (a.attention.qkvBias ? qkvWidth : 0)
            + nHeads * dHead * d + (a.attention.outBias ? d : 0)
        let mlpMatrices = (a.mlp.gated ? 3 : 2) * d * dMLP
        let mlpBiases = a.mlp.bias ? (a.mlp.gated ? 2 : 1) * dMLP + d : 0
        let mlp = attnOnly ? 0 : mlpMatrices + mlpBiases + normParams
        let block = normParams + attn + mlp
        let embed = vocabSize * d + (a.positions.isLearned ? nContext * d : 0) + a.embeddings.tokenTypes * d
            + (a.embeddings.layerNorm ? normParams : 0)
        let unembed = a.tiedEmbeddings || !a.lmHead ? 0 : vocabSize * d + (modelType == "mechscope_transformer" ? vocabSize : 0)
        return nLayers * block + embed + (a.finalNorm ? normParams : 0) + unembed
    }
}

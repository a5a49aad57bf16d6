import MechTensor

/// A LayerNorm's parameters.
public struct LayerNormWeights: Sendable {
    public let weight: Tensor  // [d_model]
    public let bias: Tensor    // [d_model]
}

/// One block's parameters, in GPT-2's Conv1D layout ([in, out]).
public struct BlockWeights: Sendable {
    public let ln1: LayerNormWeights?
    public let qkv: Tensor         // [d_model, 3·d_model]  columns: q | k | v, head-major inside each
    public let qkvBias: Tensor     // [3·d_model]
    public let attnOut: Tensor     // [d_model, d_model]    rows: head-major z
    public let attnOutBias: Tensor // [d_model]
    public let ln2: LayerNormWeights?
    public let mlpIn: Tensor?      // [d_model, d_mlp]
    public let mlpInBias: Tensor?  // [d_mlp]
    public let mlpOut: Tensor?     // [d_mlp, d_model]
    public let mlpOutBias: Tensor? // [d_model]
}

/// All parameters of a GPT-2-family transformer, checked against its config.
public struct TransformerWeights: Sendable {
    public let tokenEmbedding: Tensor     // W_E [vocab, d_model]
    public let positionEmbedding: Tensor  // W_pos [n_ctx, d_model]
    public let blocks: [BlockWeights]
    public let lnFinal: LayerNormWeights?
    public let unembedding: Tensor        // [vocab, d_model]: logits = x · unembeddingᵀ (W_U transposed)
    public let unembeddingBias: Tensor?   // [vocab]

    /// Binds and shape-checks the tensors a config needs, accepting GPT-2's names with or without
    /// the `transformer.` prefix that `GPT2LMHeadModel.save_pretrained` adds.
    public init(config c: TransformerConfig, source: WeightSource) throws {
        let prefix = source.contains("transformer.wte.weight") ? "transformer." : ""
        func load(_ name: String, _ shape: [Int]) throws -> Tensor {
            let full = prefix + name
            let key = source.contains(full) ? full : name
            guard source.contains(key) else { throw ModelError.missingTensor(folder: source.location, tensor: full) }
            let t = try source.tensor(named: key)
            guard t.shape == shape else {
                throw ModelError.wrongShape(folder: source.location, tensor: key, expected: shape, found: t.shape)
            }
            return t
        }
        func layerNorm(_ name: String) throws -> LayerNormWeights? {
            guard c.hasLayerNorm else { return nil }
            return LayerNormWeights(weight: try load("\(name).weight", [c.dModel]),
                                    bias: try load("\(name).bias", [c.dModel]))
        }
        let d = c.dModel
        tokenEmbedding = try load("wte.weight", [c.vocabSize, d])
        positionEmbedding = try load("wpe.weight", [c.nContext, d])
        blocks = try (0..<c.nLayers).map { i in
            let h = "h.\(i)."
            return BlockWeights(
                ln1: try layerNorm(h + "ln_1"),
                qkv: try load(h + "attn.c_attn.weight", [d, 3 * d]),
                qkvBias: try load(h + "attn.c_attn.bias", [3 * d]),
                attnOut: try load(h + "attn.c_proj.weight", [d, d]),
                attnOutBias: try load(h + "attn.c_proj.bias", [d]),
                ln2: c.attnOnly ? nil : try layerNorm(h + "ln_2"),
                mlpIn: c.attnOnly ? nil : try load(h + "mlp.c_fc.weight", [d, c.dMLP]),
                mlpInBias: c.attnOnly ? nil : try load(h + "mlp.c_fc.bias", [c.dMLP]),
                mlpOut: c.attnOnly ? nil : try load(h + "mlp.c_proj.weight", [c.dMLP, d]),
                mlpOutBias: c.attnOnly ? nil : try load(h + "mlp.c_proj.bias", [d]))
        }
        lnFinal = try layerNorm("ln_f")
        if c.tiedEmbeddings || !source.contains("lm_head.weight") && c.modelType == "gpt2" {
            unembedding = tokenEmbedding
            unembeddingBias = nil
        } else {
            guard source.contains("lm_head.weight") else {
                throw ModelError.missingTensor(folder: source.location, tensor: "lm_head.weight")
            }
            let w = try source.tensor(named: "lm_head.weight")
            guard w.shape == [c.vocabSize, d] else {
                throw ModelError.wrongShape(folder: source.location, tensor: "lm_head.weight",
                                            expected: [c.vocabSize, d], found: w.shape)
            }
            unembedding = w
            if source.contains("lm_head.bias") {
                let b = try source.tensor(named: "lm_head.bias")
                guard b.shape == [c.vocabSize] else {
                    throw ModelError.wrongShape(folder: source.location, tensor: "lm_head.bias",
                                                expected: [c.vocabSize], found: b.shape)
                }
                unembeddingBias = b
            } else {
                unembeddingBias = nil
            }
        }
    }
}

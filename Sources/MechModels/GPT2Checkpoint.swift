import MechTensor

/// GPT-2's checkpoint names and layouts (also Mechscope's `mechscope_transformer`): Conv1D weights
/// stored [in, out], the fused `c_attn` [d_model, 3·d_model] whose column blocks are W_Q | W_K | W_V.
/// Names may carry the `transformer.` prefix `GPT2LMHeadModel.save_pretrained` adds. For an F32
/// checkpoint nothing is copied: every matrix is a view of the memory map.
struct GPT2Checkpoint: BlockReader {
    let config: TransformerConfig
    let source: WeightSource
    let prefixes: [String]

    init(config: TransformerConfig, source: WeightSource) throws {
        self.config = config
        self.source = source
        prefixes = source.contains("transformer.wte.weight") ? ["transformer.", ""] : [""]
    }

    func layerPrefix(_ l: Int) -> String { "h.\(l)." }

    private func layerNorm(_ name: String, _ load: (String, [Int]) throws -> Tensor) throws -> LayerNormWeights? {
        guard config.hasLayerNorm else { return nil }
        return LayerNormWeights(weight: try load("\(name).weight", [config.dModel]), bias: try load("\(name).bias", [config.dModel]))
    }

    func globals(_ tensors: CheckpointTensors) throws -> GlobalWeights {
        let c = config, d = c.dModel
        let tokenEmbedding = try tensors.load("wte.weight", [c.vocabSize, d])   // [vocab, d_model]
        let unembedding: (Tensor, Tensor?)
        if c.tiedEmbeddings || !source.contains("lm_head.weight") && c.modelType == "gpt2" {
            unembedding = (tokenEmbedding, nil)
        } else {
            unembedding = try tensors.separateUnembedding(c)
        }
        return GlobalWeights(tokenEmbedding: tokenEmbedding, positionEmbedding: try tensors.load("wpe.weight", [c.nContext, d]),
                             lnFinal: try layerNorm("ln_f", tensors.load), unembedding: unembedding.0,
                             unembeddingBias: unembedding.1)
    }

    func block(_ l: Int, _ t: LayerTensors) throws -> BlockWeights {
        let c = config, d = c.dModel
        let qkv = try t.load("attn.c_attn.weight", [d, 3 * d])      // [d_model, 3·d_model]
        let qkvBias = try t.load("attn.c_attn.bias", [3 * d])       // [3·d_model]
        return BlockWeights(
            ln1: try layerNorm("ln_1", t.load),
            wQ: WeightMatrix(storage: qkv, columns: 0..<d), bQ: qkvBias.slice(0..<d),
            wK: WeightMatrix(storage: qkv, columns: d..<2 * d), bK: qkvBias.slice(d..<2 * d),
            wV: WeightMatrix(storage: qkv, columns: 2 * d..<3 * d), bV: qkvBias.slice(2 * d..<3 * d),
            attnOut: try t.load("attn.c_proj.weight", [d, d]),       // [d_model, d_model]
            attnOutBias: try t.load("attn.c_proj.bias", [d]),
            ln2: c.attnOnly ? nil : try layerNorm("ln_2", t.load),
            mlpIn: c.attnOnly ? nil : try t.load("mlp.c_fc.weight", [d, c.dMLP]),     // [d_model, d_mlp]
            mlpInBias: c.attnOnly ? nil : try t.load("mlp.c_fc.bias", [c.dMLP]),
            mlpOut: c.attnOnly ? nil : try t.load("mlp.c_proj.weight", [c.dMLP, d]),  // [d_mlp, d_model]
            mlpOutBias: c.attnOnly ? nil : try t.load("mlp.c_proj.bias", [d]))
    }
}

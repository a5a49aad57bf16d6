import MechTensor

/// GPT-2's checkpoint names and layouts (also Mechscope's `mechscope_transformer`): Conv1D weights
/// stored [in, out], the fused `c_attn` [d_model, 3·d_model] whose column blocks are W_Q | W_K | W_V.
/// Names may carry the `transformer.` prefix `GPT2LMHeadModel.save_pretrained` adds. Nothing is
/// copied: every matrix is a view of the memory-mapped checkpoint.
struct GPT2Checkpoint {
    let config: TransformerConfig
    let source: WeightSource

    func weights() throws -> TransformerWeights {
        let c = config, d = c.dModel
        let tensors = CheckpointTensors(source: source,
                                        prefixes: source.contains("transformer.wte.weight") ? ["transformer.", ""] : [""])
        func layerNorm(_ name: String) throws -> LayerNormWeights? {
            guard c.hasLayerNorm else { return nil }
            return LayerNormWeights(weight: try tensors.load("\(name).weight", [d]), bias: try tensors.load("\(name).bias", [d]))
        }
        let tokenEmbedding = try tensors.load("wte.weight", [c.vocabSize, d])   // [vocab, d_model]
        let blocks = try (0..<c.nLayers).map { i -> BlockWeights in
            let h = "h.\(i)."
            let qkv = try tensors.load(h + "attn.c_attn.weight", [d, 3 * d])      // [d_model, 3·d_model]
            let qkvBias = try tensors.load(h + "attn.c_attn.bias", [3 * d])       // [3·d_model]
            return BlockWeights(
                ln1: try layerNorm(h + "ln_1"),
                wQ: WeightMatrix(storage: qkv, columns: 0..<d), bQ: qkvBias.slice(0..<d),
                wK: WeightMatrix(storage: qkv, columns: d..<2 * d), bK: qkvBias.slice(d..<2 * d),
                wV: WeightMatrix(storage: qkv, columns: 2 * d..<3 * d), bV: qkvBias.slice(2 * d..<3 * d),
                attnOut: try tensors.load(h + "attn.c_proj.weight", [d, d]),
                attnOutBias: try tensors.load(h + "attn.c_proj.bias", [d]),
                ln2: c.attnOnly ? nil : try layerNorm(h + "ln_2"),
                mlpIn: c.attnOnly ? nil : try tensors.load(h + "mlp.c_fc.weight", [d, c.dMLP]),
                mlpInBias: c.attnOnly ? nil : try tensors.load(h + "mlp.c_fc.bias", [c.dMLP]),
                mlpOut: c.attnOnly ? nil : try tensors.load(h + "mlp.c_proj.weight", [c.dMLP, d]),
                mlpOutBias: c.attnOnly ? nil : try tensors.load(h + "mlp.c_proj.bias", [d]))
        }
        let unembedding: (Tensor, Tensor?)
        if c.tiedEmbeddings || !source.contains("lm_head.weight") && c.modelType == "gpt2" {
            unembedding = (tokenEmbedding, nil)
        } else {
            unembedding = try tensors.separateUnembedding(c)
        }
        return TransformerWeights(
            tokenEmbedding: tokenEmbedding, positionEmbedding: try tensors.load("wpe.weight", [c.nContext, d]),
            blocks: blocks, lnFinal: try layerNorm("ln_f"), unembedding: unembedding.0, unembeddingBias: unembedding.1)
    }
}

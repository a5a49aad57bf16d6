import MechTensor

/// GPT-NeoX checkpoints (Pythia, `GPTNeoXForCausalLM`): names under `gpt_neox.`, nn.Linear layouts
/// [out, in], and a fused `attention.query_key_value` [3·head·d_head, d_model] whose rows are
/// interleaved per head (q_0 k_0 v_0 q_1 k_1 v_1 …, each d_head rows), which is split into W_Q,
/// W_K, W_V at load.
struct GPTNeoXCheckpoint {
    let config: TransformerConfig
    let source: WeightSource

    func weights() throws -> TransformerWeights {
        let c = config, d = c.dModel, heads = c.nHeads, dh = c.dHead, width = heads * dh
        let tensors = CheckpointTensors(source: source, prefixes: ["gpt_neox.", ""])
        func layerNorm(_ name: String) throws -> LayerNormWeights {
            LayerNormWeights(weight: try tensors.load("\(name).weight", [d]), bias: try tensors.load("\(name).bias", [d]))
        }
        let tokenEmbedding = try tensors.load("embed_in.weight", [c.vocabSize, d])   // [vocab, d_model]
        let blocks = try (0..<c.nLayers).map { i -> BlockWeights in
            let p = "layers.\(i)."
            let fused = try tensors.load(p + "attention.query_key_value.weight", [3 * width, d])  // [head·(q|k|v)·d_head, d_model]
            let fusedBias = c.architecture.attention.qkvBias
                ? try tensors.load(p + "attention.query_key_value.bias", [3 * width]) : Tensor(zeros: [3 * width])
            // Gather each part's rows head by head, then transpose: [d_model, head·d_head] per part.
            func part(_ index: Int) -> (WeightMatrix, Tensor) {
                let rows = Tensor(uninitialized: [width, d]), bias = Tensor(uninitialized: [width])
                for h in 0..<heads {
                    let from = (h * 3 + index) * dh
                    (rows.pointer + h * dh * d).update(from: fused.pointer + from * d, count: dh * d)
                    (bias.pointer + h * dh).update(from: fusedBias.pointer + from, count: dh)
                }
                return (WeightMatrix(rows.transposedCopy()), bias)
            }
            let (wQ, bQ) = part(0), (wK, bK) = part(1), (wV, bV) = part(2)
            return BlockWeights(
                ln1: try layerNorm(p + "input_layernorm"),
                wQ: wQ, bQ: bQ, wK: wK, bK: bK, wV: wV, bV: bV,
                attnOut: try tensors.linear(p + "attention.dense.weight", out: d, in: width),   // [head·d_head, d_model]
                attnOutBias: c.architecture.attention.outBias ? try tensors.load(p + "attention.dense.bias", [d]) : Tensor(zeros: [d]),
                ln2: try layerNorm(p + "post_attention_layernorm"),
                mlpIn: try tensors.linear(p + "mlp.dense_h_to_4h.weight", out: c.dMLP, in: d),  // [d_model, d_mlp]
                mlpInBias: try tensors.load(p + "mlp.dense_h_to_4h.bias", [c.dMLP]),
                mlpOut: try tensors.linear(p + "mlp.dense_4h_to_h.weight", out: d, in: c.dMLP), // [d_mlp, d_model]
                mlpOutBias: try tensors.load(p + "mlp.dense_4h_to_h.bias", [d]))
        }
        // Hub checkpoints name the unembedding `embed_out`; transformers 5 saves it as `lm_head`.
        let unembedding = c.tiedEmbeddings ? (tokenEmbedding, nil)
            : try tensors.separateUnembedding(c, name: source.contains("lm_head.weight") ? "lm_head" : "embed_out")
        return TransformerWeights(tokenEmbedding: tokenEmbedding, positionEmbedding: nil, blocks: blocks,
                                  lnFinal: try layerNorm("final_layer_norm"), unembedding: unembedding.0,
                                  unembeddingBias: unembedding.1)
    }
}

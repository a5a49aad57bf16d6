import MechTensor

/// Llama, Mistral and Qwen2 checkpoints (`LlamaForCausalLM` and kin): nn.Linear weights stored
/// [out, in] under `model.layers.L.self_attn.{q,k,v,o}_proj` and `mlp.{gate,up,down}_proj`,
/// RMSNorm weights `input_layernorm`/`post_attention_layernorm`/`model.norm`, `lm_head` unless
/// tied. The projections are transposed into the internal [in, out] layout once, at load.
struct LlamaCheckpoint {
    let config: TransformerConfig
    let source: WeightSource

    func weights() throws -> TransformerWeights {
        let c = config, d = c.dModel, a = c.architecture.attention
        let q = a.nHeads * a.dHead, kv = a.nKVHeads * a.dHead
        let tensors = CheckpointTensors(source: source, prefixes: ["model.", ""])
        func rmsNorm(_ name: String) throws -> LayerNormWeights {
            LayerNormWeights(weight: try tensors.load("\(name).weight", [d]), bias: Tensor(zeros: [d]))
        }
        func bias(_ name: String, _ count: Int, present: Bool) throws -> Tensor {
            present ? try tensors.load("\(name).bias", [count]) : Tensor(zeros: [count])
        }
        let tokenEmbedding = try tensors.load("embed_tokens.weight", [c.vocabSize, d])  // [vocab, d_model]
        let blocks = try (0..<c.nLayers).map { i -> BlockWeights in
            let p = "layers.\(i)."
            let mlpBias = c.architecture.mlp.bias
            return BlockWeights(
                ln1: try rmsNorm(p + "input_layernorm"),
                wQ: WeightMatrix(try tensors.linear(p + "self_attn.q_proj.weight", out: q, in: d)),   // [d_model, head·d_head]
                bQ: try bias(p + "self_attn.q_proj", q, present: a.qkvBias),
                wK: WeightMatrix(try tensors.linear(p + "self_attn.k_proj.weight", out: kv, in: d)),  // [d_model, kv·d_head]
                bK: try bias(p + "self_attn.k_proj", kv, present: a.qkvBias),
                wV: WeightMatrix(try tensors.linear(p + "self_attn.v_proj.weight", out: kv, in: d)),  // [d_model, kv·d_head]
                bV: try bias(p + "self_attn.v_proj", kv, present: a.qkvBias),
                attnOut: try tensors.linear(p + "self_attn.o_proj.weight", out: d, in: q),            // [head·d_head, d_model]
                attnOutBias: try bias(p + "self_attn.o_proj", d, present: a.outBias),
                ln2: try rmsNorm(p + "post_attention_layernorm"),
                mlpIn: try tensors.linear(p + "mlp.up_proj.weight", out: c.dMLP, in: d),              // [d_model, d_mlp]
                mlpInBias: try bias(p + "mlp.up_proj", c.dMLP, present: mlpBias),
                mlpGate: try tensors.linear(p + "mlp.gate_proj.weight", out: c.dMLP, in: d),          // [d_model, d_mlp]
                mlpGateBias: try bias(p + "mlp.gate_proj", c.dMLP, present: mlpBias),
                mlpOut: try tensors.linear(p + "mlp.down_proj.weight", out: d, in: c.dMLP),           // [d_mlp, d_model]
                mlpOutBias: try bias(p + "mlp.down_proj", d, present: mlpBias))
        }
        let unembedding = c.tiedEmbeddings ? (tokenEmbedding, nil) : try tensors.separateUnembedding(c)
        return TransformerWeights(tokenEmbedding: tokenEmbedding, positionEmbedding: nil, blocks: blocks,
                                  lnFinal: try rmsNorm("norm"), unembedding: unembedding.0, unembeddingBias: unembedding.1)
    }
}

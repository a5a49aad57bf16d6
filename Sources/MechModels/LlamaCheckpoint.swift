import MechTensor

/// Llama, Mistral and Qwen2 checkpoints (`LlamaForCausalLM` and kin): nn.Linear weights stored
/// [out, in] under `model.layers.L.self_attn.{q,k,v,o}_proj` and `mlp.{gate,up,down}_proj`,
/// RMSNorm weights `input_layernorm`/`post_attention_layernorm`/`model.norm`, `lm_head` unless
/// tied. The projections are transposed into the internal [in, out] layout as a block is read.
struct LlamaCheckpoint: BlockReader {
    let config: TransformerConfig
    let source: WeightSource
    let prefixes = ["model.", ""]

    init(config: TransformerConfig, source: WeightSource) throws {
        self.config = config
        self.source = source
    }

    func layerPrefix(_ l: Int) -> String { "layers.\(l)." }

    private func rmsNorm(_ name: String, _ load: (String, [Int]) throws -> Tensor) throws -> LayerNormWeights {
        LayerNormWeights(weight: try load("\(name).weight", [config.dModel]), bias: Tensor(zeros: [config.dModel]))
    }

    func globals(_ tensors: CheckpointTensors) throws -> GlobalWeights {
        let c = config
        let tokenEmbedding = try tensors.load("embed_tokens.weight", [c.vocabSize, c.dModel])  // [vocab, d_model]
        let unembedding = c.tiedEmbeddings ? (tokenEmbedding, nil) : try tensors.separateUnembedding(c)
        return GlobalWeights(tokenEmbedding: tokenEmbedding, positionEmbedding: nil, lnFinal: try rmsNorm("norm", tensors.load),
                             unembedding: unembedding.0, unembeddingBias: unembedding.1)
    }

    func block(_ l: Int, _ t: LayerTensors) throws -> BlockWeights {
        let c = config, d = c.dModel, a = c.architecture.attention, mlpBias = c.architecture.mlp.bias
        let q = a.nHeads * a.dHead, kv = a.nKVHeads * a.dHead
        return BlockWeights(
            ln1: try rmsNorm("input_layernorm", t.load),
            q: try t.linear("self_attn.q_proj.weight", out: q, in: d),                   // [head·d_head, d_model] stored
            bQ: try t.bias("self_attn.q_proj.bias", q, present: a.qkvBias),
            k: try t.linear("self_attn.k_proj.weight", out: kv, in: d),                  // [kv·d_head, d_model]
            bK: try t.bias("self_attn.k_proj.bias", kv, present: a.qkvBias),
            v: try t.linear("self_attn.v_proj.weight", out: kv, in: d),                  // [kv·d_head, d_model]
            bV: try t.bias("self_attn.v_proj.bias", kv, present: a.qkvBias),
            o: try t.linear("self_attn.o_proj.weight", out: d, in: q),                   // [d_model, head·d_head]
            attnOutBias: try t.bias("self_attn.o_proj.bias", d, present: a.outBias),
            ln2: try rmsNorm("post_attention_layernorm", t.load),
            up: try t.linear("mlp.up_proj.weight", out: c.dMLP, in: d),                  // [d_mlp, d_model]
            mlpInBias: try t.bias("mlp.up_proj.bias", c.dMLP, present: mlpBias),
            gate: try t.linear("mlp.gate_proj.weight", out: c.dMLP, in: d),              // [d_mlp, d_model]
            mlpGateBias: try t.bias("mlp.gate_proj.bias", c.dMLP, present: mlpBias),
            down: try t.linear("mlp.down_proj.weight", out: d, in: c.dMLP),              // [d_model, d_mlp]
            mlpOutBias: try t.bias("mlp.down_proj.bias", d, present: mlpBias))
    }
}

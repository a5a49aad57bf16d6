import MechTensor

/// GPT-NeoX checkpoints (Pythia, `GPTNeoXForCausalLM`): names under `gpt_neox.`, nn.Linear layouts
/// [out, in], and a fused `attention.query_key_value` [3·head·d_head, d_model] whose rows are
/// interleaved per head (q_0 k_0 v_0 q_1 k_1 v_1 …, each d_head rows), split into W_Q, W_K, W_V
/// as a block is read.
struct GPTNeoXCheckpoint: BlockReader {
    let config: TransformerConfig
    let source: WeightSource
    let prefixes = ["gpt_neox.", ""]

    init(config: TransformerConfig, source: WeightSource) throws {
        self.config = config
        self.source = source
    }

    func layerPrefix(_ l: Int) -> String { "layers.\(l)." }

    private func layerNorm(_ name: String, _ load: (String, [Int]) throws -> Tensor) throws -> LayerNormWeights {
        LayerNormWeights(weight: try load("\(name).weight", [config.dModel]), bias: try load("\(name).bias", [config.dModel]))
    }

    func globals(_ tensors: CheckpointTensors) throws -> GlobalWeights {
        let c = config
        let tokenEmbedding = try tensors.load("embed_in.weight", [c.vocabSize, c.dModel])   // [vocab, d_model]
        // Hub checkpoints name the unembedding `embed_out`; transformers 5 saves it as `lm_head`.
        let unembedding = c.tiedEmbeddings ? (tokenEmbedding, nil)
            : try tensors.separateUnembedding(c, name: source.contains("lm_head.weight") ? "lm_head" : "embed_out")
        return GlobalWeights(tokenEmbedding: tokenEmbedding, positionEmbedding: nil,
                             lnFinal: try layerNorm("final_layer_norm", tensors.load),
                             unembedding: unembedding.0, unembeddingBias: unembedding.1)
    }

    func block(_ l: Int, _ t: LayerTensors) throws -> BlockWeights {
        let c = config, d = c.dModel, heads = c.nHeads, dh = c.dHead, width = heads * dh
        let a = c.architecture.attention
        let fused = try t.load("attention.query_key_value.weight", [3 * width, d])  // [head·(q|k|v)·d_head, d_model]
        let fusedBias = try t.bias("attention.query_key_value.bias", 3 * width, present: a.qkvBias)
        // Gather each part's rows head by head: [head·d_head, d_model] per part, multiplied as nn.Linear's.
        func part(_ index: Int) -> (LinearWeight, Tensor) {
            let rows = Tensor(uninitialized: [width, d]), bias = Tensor(uninitialized: [width])
            for h in 0..<heads {
                let from = (h * 3 + index) * dh
                (rows.pointer + h * dh * d).update(from: fused.pointer + from * d, count: dh * d)
                (bias.pointer + h * dh).update(from: fusedBias.pointer + from, count: dh)
            }
            return (LinearWeight(.outByIn(rows)), bias)
        }
        let (wQ, bQ) = part(0), (wK, bK) = part(1), (wV, bV) = part(2)
        return BlockWeights(
            ln1: try layerNorm("input_layernorm", t.load),
            q: wQ, bQ: bQ, k: wK, bK: bK, v: wV, bV: bV,
            o: try t.linear("attention.dense.weight", out: d, in: width),                // [d_model, head·d_head] stored
            attnOutBias: try t.bias("attention.dense.bias", d, present: a.outBias),
            ln2: try layerNorm("post_attention_layernorm", t.load),
            up: try t.linear("mlp.dense_h_to_4h.weight", out: c.dMLP, in: d),            // [d_mlp, d_model]
            mlpInBias: try t.load("mlp.dense_h_to_4h.bias", [c.dMLP]),
            down: try t.linear("mlp.dense_4h_to_h.weight", out: d, in: c.dMLP),          // [d_model, d_mlp]
            mlpOutBias: try t.load("mlp.dense_4h_to_h.bias", [d]))
    }
}

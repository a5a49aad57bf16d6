import MechTensor

/// BERT checkpoints (`BertModel`, and the `bert.` names `BertForMaskedLM` and kin save): nn.Linear
/// weights [out, in] under `encoder.layer.L.attention.self.{query,key,value}`,
/// `attention.output.dense`, `intermediate.dense` and `output.dense`; LayerNorms
/// `attention.output.LayerNorm` (TransformerLens's ln1, after attention's residual add) and
/// `output.LayerNorm` (ln2, after the MLP's); `embeddings.{word,position,token_type}_embeddings`
/// and `embeddings.LayerNorm`. The pooler and any MLM head are not read: the encoder's output is
/// the last block's hook_normalized_resid_post.
struct BertCheckpoint: BlockReader {
    let config: TransformerConfig
    let source: WeightSource
    let prefixes = ["bert.", ""]

    init(config: TransformerConfig, source: WeightSource) throws {
        self.config = config
        self.source = source
    }

    func layerPrefix(_ l: Int) -> String { "encoder.layer.\(l)." }

    private func layerNorm(_ name: String, _ load: (String, [Int]) throws -> Tensor) throws -> LayerNormWeights {
        LayerNormWeights(weight: try load("\(name).weight", [config.dModel]), bias: try load("\(name).bias", [config.dModel]))
    }

    func globals(_ tensors: CheckpointTensors) throws -> GlobalWeights {
        let c = config, d = c.dModel
        let word = try tensors.load("embeddings.word_embeddings.weight", [c.vocabSize, d])          // [vocab, d_model]
        let types = c.architecture.embeddings.tokenTypes
        return GlobalWeights(
            tokenEmbedding: word,
            positionEmbedding: try tensors.load("embeddings.position_embeddings.weight", [c.nContext, d]),  // [n_ctx, d_model]
            lnFinal: nil, unembedding: word, unembeddingBias: nil,
            tokenTypeEmbedding: types > 0 ? try tensors.load("embeddings.token_type_embeddings.weight", [types, d]) : nil,
            embeddingNorm: try layerNorm("embeddings.LayerNorm", tensors.load))
    }

    func block(_ l: Int, _ t: LayerTensors) throws -> BlockWeights {
        let c = config, d = c.dModel, width = c.nHeads * c.dHead
        return BlockWeights(
            ln1: try layerNorm("attention.output.LayerNorm", t.load),
            q: try t.linear("attention.self.query.weight", out: width, in: d),  // [head·d_head, d_model] stored
            bQ: try t.load("attention.self.query.bias", [width]),
            k: try t.linear("attention.self.key.weight", out: width, in: d),
            bK: try t.load("attention.self.key.bias", [width]),
            v: try t.linear("attention.self.value.weight", out: width, in: d),
            bV: try t.load("attention.self.value.bias", [width]),
            o: try t.linear("attention.output.dense.weight", out: d, in: width),                // [d_model, head·d_head]
            attnOutBias: try t.load("attention.output.dense.bias", [d]),
            ln2: try layerNorm("output.LayerNorm", t.load),
            up: try t.linear("intermediate.dense.weight", out: c.dMLP, in: d),                 // [d_mlp, d_model]
            mlpInBias: try t.load("intermediate.dense.bias", [c.dMLP]),
            down: try t.linear("output.dense.weight", out: d, in: c.dMLP),                     // [d_model, d_mlp]
            mlpOutBias: try t.load("output.dense.bias", [d]))
    }
}

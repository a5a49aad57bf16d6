import MechFormats

extension TransformerConfig {
    /// Families read by `init(llamaJSON:)`: RMSNorm, rotary, SwiGLU, grouped-query attention.
    public static let llamaFamilyModelTypes: Set<String> = ["llama", "mistral", "qwen2"]

    /// Reads a Llama, Mistral or Qwen2 `config.json` (Llama 2/3, SmolLM, TinyLlama, …). Qwen2 has
    /// q/k/v biases; Llama has them when `attention_bias` is true; Mistral never. A sliding window
    /// (Mistral, Qwen2 with `use_sliding_window`) limits the context to the window, within which it
    /// equals full causal attention.
    init(llamaJSON json: JSONConfig, modelType type: String) throws {
        let r = ConfigReader(json: json)
        let dModel = try r.positive("hidden_size")
        let attentionBias = try json.optionalBool("attention_bias") ?? false
        let attention = try r.attention(dModel: dModel, qkvBias: type == "qwen2" || attentionBias,
                                        outBias: type != "qwen2" && attentionBias)
        var context = try r.positive("max_position_embeddings")
        let qwenWindow = try json.optionalBool("use_sliding_window") ?? false
        let windowed = type == "mistral" || (type == "qwen2" && qwenWindow)
        if windowed, let window = try r.optionalPositive("sliding_window") { context = min(context, window) }
        let architecture = ArchitectureSpec(
            normalization: Normalization(.rmsNorm, epsilon: try r.epsilon("rms_norm_eps", default: 1e-6)),
            positions: .rotary(try r.rotary(dHead: attention.dHead)),
            attention: attention,
            mlp: MLPSpec(gated: true, activation: try r.activation("hidden_act", default: "silu"),
                         bias: try json.optionalBool("mlp_bias") ?? false),
            tiedEmbeddings: try json.optionalBool("tie_word_embeddings") ?? false)
        self.init(modelType: type, nLayers: try r.positive("num_hidden_layers"), dModel: dModel,
                  dMLP: try r.positive("intermediate_size"), nContext: context,
                  vocabSize: try r.positive("vocab_size"), architecture: architecture,
                  bosTokenID: try r.tokenID("bos_token_id"), eosTokenID: try r.tokenID("eos_token_id"))
    }

    /// Reads a GPT-NeoX `config.json` (Pythia): LayerNorm with bias, partial rotary (`rotary_pct`),
    /// parallel attention and MLP (`use_parallel_residual`, default true), untied unembedding, biases everywhere.
    init(neoXJSON json: JSONConfig) throws {
        let r = ConfigReader(json: json)
        let dModel = try r.positive("hidden_size")
        let bias = try json.optionalBool("attention_bias") ?? true
        let attention = try r.attention(dModel: dModel, qkvBias: bias, outBias: bias)
        guard attention.nKVHeads == attention.nHeads else {
            throw r.bad("num_key_value_heads", "must equal num_attention_heads for gpt_neox")
        }
        let architecture = ArchitectureSpec(
            normalization: Normalization(.layerNorm, epsilon: try r.epsilon("layer_norm_eps", default: 1e-5)),
            positions: .rotary(try r.rotary(dHead: attention.dHead)),
            attention: attention,
            mlp: MLPSpec(gated: false, activation: try r.activation("hidden_act", default: "gelu"), bias: true),
            parallelAttentionMLP: try json.optionalBool("use_parallel_residual") ?? true,
            tiedEmbeddings: try json.optionalBool("tie_word_embeddings") ?? false)
        self.init(modelType: "gpt_neox", nLayers: try r.positive("num_hidden_layers"), dModel: dModel,
                  dMLP: try r.positive("intermediate_size"), nContext: try r.positive("max_position_embeddings"),
                  vocabSize: try r.positive("vocab_size"), architecture: architecture,
                  bosTokenID: try r.tokenID("bos_token_id"), eosTokenID: try r.tokenID("eos_token_id"))
    }
}

extension TransformerConfig {
    /// Reads a BERT `config.json` (bert-base, all-MiniLM-L6-v2, …): word, learned position and
    /// token-type embeddings summed and LayerNormed, post-LN blocks, bidirectional attention with
    /// biases, a plain MLP (`hidden_act`, exact-erf GELU for "gelu"), no final norm, read without an
    /// LM head (BertModel). Only absolute positions are supported.
    init(bertJSON json: JSONConfig) throws {
        let r = ConfigReader(json: json)
        let dModel = try r.positive("hidden_size")
        var attention = try r.attention(dModel: dModel, qkvBias: true, outBias: true)
        attention.causal = false
        guard attention.nKVHeads == attention.nHeads else {
            throw r.bad("num_key_value_heads", "must equal num_attention_heads for bert")
        }
        let positions = try json.optionalString("position_embedding_type") ?? "absolute"
        guard positions == "absolute" else {
            throw r.bad("position_embedding_type", "'\(positions)' is not supported (only \"absolute\")")
        }
        let tokenTypes = try json.optionalInt("type_vocab_size") ?? 2
        guard tokenTypes >= 0 else { throw r.bad("type_vocab_size", "must not be negative, found \(tokenTypes)") }
        let architecture = ArchitectureSpec(
            normalization: Normalization(.layerNorm, epsilon: try r.epsilon("layer_norm_eps", default: 1e-12)),
            positions: .learned,
            attention: attention,
            mlp: MLPSpec(gated: false, activation: try r.activation("hidden_act", default: "gelu"), bias: true),
            tiedEmbeddings: false,
            blockNorm: .postLN,
            embeddings: EmbeddingSpec(tokenTypes: tokenTypes, layerNorm: true),
            finalNorm: false,
            lmHead: false)
        self.init(modelType: "bert", nLayers: try r.positive("num_hidden_layers"), dModel: dModel,
                  dMLP: try r.positive("intermediate_size"), nContext: try r.positive("max_position_embeddings"),
                  vocabSize: try r.positive("vocab_size"), architecture: architecture,
                  bosTokenID: nil, eosTokenID: nil)
        prependBOS = false
    }
}

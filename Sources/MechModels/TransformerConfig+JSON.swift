import MechFormats
import MechTensor

extension TransformerConfig {
    /// Model types whose folders load as a `Transformer`, in the order messages list them.
    public static let transformerModelTypeNames = ["gpt2", "llama", "mistral", "qwen2", "gpt_neox", "bert", "mechscope_transformer"]
    public static let transformerModelTypes = Set(transformerModelTypeNames)

    /// Reads a model folder's `config.json` by its `model_type`: GPT-2 (and Mechscope's
    /// `mechscope_transformer`), the Llama family (llama, mistral, qwen2), GPT-NeoX or a BERT encoder.
    public init(json: JSONConfig) throws {
        let type = try json.optionalString("model_type") ?? "gpt2"
        switch type {
        case "gpt2", "mechscope_transformer": try self.init(gpt2JSON: json, modelType: type)
        case _ where Self.llamaFamilyModelTypes.contains(type): try self.init(llamaJSON: json, modelType: type)
        case "gpt_neox": try self.init(neoXJSON: json)
        case "bert": try self.init(bertJSON: json)
        default: throw ModelError.unknownModelType(file: json.url.path, modelType: type)
        }
    }

    /// Reads a Hugging Face GPT-2 `config.json` (field names `n_layer`, `n_head`, `n_embd`, …) or
    /// Mechscope's `mechscope_transformer` extension of it (attention-only, no LayerNorm, ReLU).
    init(gpt2JSON json: JSONConfig, modelType type: String) throws {
        func positive(_ key: String, _ value: Int?) throws -> Int {
            guard let value else { throw ModelError.badConfig(file: json.url.path, key: key, problem: "is missing") }
            guard value > 0 else {
                throw ModelError.badConfig(file: json.url.path, key: key, problem: "must be positive, found \(value)")
            }
            return value
        }
        let layers = try positive("n_layer", json.optionalInt("n_layer"))
        let dModel = try positive("n_embd", json.optionalInt("n_embd"))
        let heads = try positive("n_head", json.optionalInt("n_head"))
        guard dModel % heads == 0 else {
            throw ModelError.badConfig(file: json.url.path, key: "n_head",
                                       problem: "(\(heads)) does not divide n_embd (\(dModel))")
        }
        let context = try positive("n_positions", json.optionalInt("n_positions") ?? json.optionalInt("n_ctx"))
        let vocab = try positive("vocab_size", json.optionalInt("vocab_size"))
        let attnOnly = try json.optionalBool("attn_only") ?? false
        let reader = ConfigReader(json: json)
        let dMLP = attnOnly ? 0 : try reader.optionalPositive("n_inner") ?? 4 * dModel

        var epsilon: Float? = try reader.epsilon("layer_norm_epsilon", default: 1e-5)
        if type == "mechscope_transformer", json.value("normalization_type") != nil {  // null means no LayerNorm
            let norm = try json.optionalString("normalization_type")
            switch norm {
            case nil: epsilon = nil
            case "LN"?: break
            case let other?:
                throw ModelError.badConfig(file: json.url.path, key: "normalization_type",
                                           problem: "'\(other)' is not supported (use \"LN\" or null)")
            }
        }
        let actName = try json.optionalString("activation_function") ?? "gelu_new"
        guard let activation = Activation(huggingFaceName: actName) else {
            throw ModelError.badConfig(file: json.url.path, key: "activation_function",
                                       problem: "'\(actName)' is not supported (gelu_new, gelu, relu)")
        }
        if try json.optionalBool("scale_attn_by_inverse_layer_idx") == true {
            throw ModelError.badConfig(file: json.url.path, key: "scale_attn_by_inverse_layer_idx",
                                       problem: "= true is not supported")
        }
        if try json.optionalBool("scale_attn_weights") == false {
            throw ModelError.badConfig(file: json.url.path, key: "scale_attn_weights", problem: "= false is not supported")
        }
        let tied = try json.optionalBool("tie_word_embeddings") ?? (type == "gpt2")
        self.init(modelType: type, nLayers: layers, dModel: dModel, nHeads: heads, dMLP: dMLP,
                  nContext: context, vocabSize: vocab, attnOnly: attnOnly, layerNormEpsilon: epsilon,
                  activation: activation, tiedEmbeddings: tied,
                  bosTokenID: try json.optionalInt("bos_token_id"), eosTokenID: try json.optionalInt("eos_token_id"))
        prependBOS = try json.optionalBool("prepend_bos")
    }
}

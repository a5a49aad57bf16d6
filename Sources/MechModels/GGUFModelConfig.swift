import Foundation
import MechFormats

extension TransformerConfig {
    /// The config `transformers` derives from a GGUF file's metadata (its `gguf_config_mapping`), written as
    /// the `config.json` keys it stands for and read by the same reader as a Hugging Face folder's.
    public init(gguf file: GGUFFile) throws {
        try self.init(json: JSONConfig(values: try Self.configValues(gguf: file), url: file.url))
    }

    /// `config.json` keys and values for a GGUF file (architectures in `GGUFWeights.supportedArchitectures`).
    static func configValues(gguf file: GGUFFile) throws -> [String: JSONValue] {
        let path = file.url.path
        guard let arch = file.architecture else {
            throw GGUFModelError.missingMetadata(path: path, key: "general.architecture", expected: "a string")
        }
        guard GGUFWeights.supportedArchitectures.contains(arch) else {
            throw GGUFModelError.unsupportedArchitecture(path: path, architecture: arch, supported: GGUFWeights.supportedArchitectures)
        }
        func int(_ key: String) throws -> Int {
            guard let n = file.metadata["\(arch).\(key)"]?.int else {
                throw GGUFModelError.missingMetadata(path: path, key: "\(arch).\(key)", expected: "an integer")
            }
            return n
        }
        func double(_ key: String) -> Double? { file.metadata["\(arch).\(key)"]?.double }
        if let scaling = file.metadata["\(arch).rope.scaling.type"]?.string, scaling != "none" {
            throw GGUFModelError.unsupportedRopeScaling(path: path, type: scaling)
        }
        guard let tokens = file.metadata["tokenizer.ggml.tokens"]?.array else {
            throw GGUFModelError.missingMetadata(path: path, key: "tokenizer.ggml.tokens", expected: "an array (its length is the vocabulary size)")
        }
        let heads = try int("attention.head_count")
        let dModel = try int("embedding_length")
        let tied = file.info(named: "output.weight") == nil
        if arch == "gpt2" {
            var values: [String: JSONValue] = [
                "model_type": .string("gpt2"), "n_layer": .integer(try int("block_count")), "n_embd": .integer(dModel),
                "n_head": .integer(heads), "n_positions": .integer(try int("context_length")),
                "n_inner": .integer(try int("feed_forward_length")), "vocab_size": .integer(tokens.count),
                "activation_function": .string("gelu_new"), "tie_word_embeddings": .bool(tied),
            ]
            if let eps = double("attention.layer_norm_epsilon") { values["layer_norm_epsilon"] = .number(eps) }
            for (key, gguf) in [("bos_token_id", "bos_token_id"), ("eos_token_id", "eos_token_id")] {
                if let id = file.metadata["tokenizer.ggml.\(gguf)"]?.int { values[key] = .integer(id) }
            }
            return values
        }
        var values: [String: JSONValue] = [
            "model_type": .string(arch),
            "hidden_size": .integer(dModel),
            "intermediate_size": .integer(try int("feed_forward_length")),
            "num_hidden_layers": .integer(try int("block_count")),
            "num_attention_heads": .integer(heads),
            "num_key_value_heads": .integer((try? int("attention.head_count_kv")) ?? heads),
            "head_dim": .integer((try? int("attention.key_length")) ?? dModel / max(heads, 1)),
            "max_position_embeddings": .integer(try int("context_length")),
            "vocab_size": .integer(tokens.count),
            "hidden_act": .string("silu"),
            // llama.cpp writes the output projection only when it is not the embedding matrix.
            "tie_word_embeddings": .bool(tied),
        ]
        if let eps = double("attention.layer_norm_rms_epsilon") { values["rms_norm_eps"] = .number(eps) }
        if let theta = double("rope.freq_base") { values["rope_theta"] = .number(theta) }
        for (key, gguf) in [("bos_token_id", "bos_token_id"), ("eos_token_id", "eos_token_id"), ("pad_token_id", "padding_token_id")] {
            if let id = file.metadata["tokenizer.ggml.\(gguf)"]?.int { values[key] = .integer(id) }
        }
        return values
    }
}

import MechFormats
import MechTensor

/// Reading what real checkpoints write about sizes and rotary embeddings, across transformers
/// versions: `rope_theta` at the top level (4.x), inside `rope_parameters` (5.x) or `rope_scaling`;
/// the partial rotary fraction as `partial_rotary_factor` or GPT-NeoX's `rotary_pct`.
struct ConfigReader {
    let json: JSONConfig
    var file: String { json.url.path }

    func bad(_ key: String, _ problem: String) -> ModelError {
        .badConfig(file: file, key: key, problem: problem)
    }

    /// A required positive integer, under the first of `keys` present.
    func positive(_ keys: String...) throws -> Int {
        for key in keys {
            guard let value = try json.optionalInt(key) else { continue }
            guard value > 0 else { throw bad(key, "must be positive, found \(value)") }
            return value
        }
        throw bad(keys[0], "is missing")
    }

    /// A normalisation epsilon (absent or null → `fallback`): positive and finite, or the norm divides by
    /// √(var + ε) ≤ 0 and every activation after it is NaN.
    func epsilon(_ key: String, default fallback: Double) throws -> Float {
        let value = try json.optionalDouble(key) ?? fallback
        guard value > 0, Float(value).isFinite, Float(value) > 0 else { throw bad(key, "must be a positive number, found \(value)") }
        return Float(value)
    }

    /// An optional positive integer (absent or null → nil).
    func optionalPositive(_ key: String) throws -> Int? {
        guard let value = try json.optionalInt(key) else { return nil }
        guard value > 0 else { throw bad(key, "must be positive, found \(value)") }
        return value
    }

    /// A token id written as an integer or, as Llama 3 writes `eos_token_id`, a list (its first).
    func tokenID(_ key: String) throws -> Int? {
        if case .array? = json.value(key) { return try json.optionalIntArray(key)?.first }
        return try json.optionalInt(key)
    }

    /// The activation named by `key` (Hugging Face's `hidden_act`).
    func activation(_ key: String, default fallback: String) throws -> Activation {
        let name = try json.optionalString(key) ?? fallback
        guard let activation = Activation(huggingFaceName: name) else {
            throw bad(key, "'\(name)' is not supported (silu, gelu, gelu_new, gelu_pytorch_tanh, relu)")
        }
        return activation
    }

    /// The attention shape: heads, key/value heads (default: as many as heads), head size (`head_dim`
    /// when present, else d_model / heads), checked for consistency.
    func attention(dModel: Int, qkvBias: Bool, outBias: Bool) throws -> AttentionSpec {
        let heads = try positive("num_attention_heads")
        let kvHeads = try optionalPositive("num_key_value_heads") ?? heads
        guard heads % kvHeads == 0 else {
            throw bad("num_key_value_heads", "(\(kvHeads)) does not divide num_attention_heads (\(heads))")
        }
        let dHead: Int
        if let explicit = try optionalPositive("head_dim") {
            dHead = explicit
        } else {
            guard dModel % heads == 0 else {
                throw bad("num_attention_heads", "(\(heads)) does not divide hidden_size (\(dModel)) and there is no head_dim")
            }
            dHead = dModel / heads
        }
        return AttentionSpec(nHeads: heads, nKVHeads: kvHeads, dHead: dHead, qkvBias: qkvBias, outBias: outBias)
    }

    /// The rotary embedding: θ and scaling from wherever this transformers version wrote them.
    func rotary(dHead: Int, defaultTheta: Double = 10_000) throws -> RotarySpec {
        let parameters = try json.optionalSection("rope_parameters")
        let scaling = try json.optionalSection("rope_scaling")
        let theta = try json.optionalDouble("rope_theta") ?? parameters?.optionalDouble("rope_theta")
            ?? scaling?.optionalDouble("rope_theta") ?? json.optionalDouble("rotary_emb_base") ?? defaultTheta
        guard theta > 1 else { throw bad("rope_theta", "must be greater than 1, found \(theta)") }
        let fraction = try json.optionalDouble("partial_rotary_factor")
            ?? parameters?.optionalDouble("partial_rotary_factor") ?? json.optionalDouble("rotary_pct") ?? 1
        guard fraction > 0, fraction <= 1 else {
            throw bad("partial_rotary_factor", "must be in (0, 1], found \(fraction)")
        }
        let dims = Int(Double(dHead) * fraction)
        guard dims >= 2, dims % 2 == 0 else {
            throw bad("partial_rotary_factor", "gives \(dims) rotary dimensions of \(dHead); it must be even and at least 2")
        }
        var llama3: Llama3RopeScaling?
        for section in [parameters, scaling].compactMap({ $0 }) {
            let type = try section.optionalString("rope_type") ?? section.optionalString("type") ?? "default"
            switch type {
            case "default": continue
            case "llama3":
                func number(_ key: String) throws -> Double {
                    guard let v = try section.optionalDouble(key) else {
                        throw bad("\(section.keyPath).\(key)", "is missing (needed by rope type llama3)")
                    }
                    return v
                }
                llama3 = Llama3RopeScaling(factor: try number("factor"), lowFrequencyFactor: try number("low_freq_factor"),
                                           highFrequencyFactor: try number("high_freq_factor"),
                                           originalContext: try number("original_max_position_embeddings"))
            default:
                throw ModelError.unsupportedRopeScaling(file: file, ropeType: type)
            }
        }
        return RotarySpec(theta: theta, dims: dims, llama3: llama3)
    }
}

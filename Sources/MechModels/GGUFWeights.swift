import MechFormats
import MechTensor

/// A GGUF file's tensors under the Hugging Face names the family loaders read, so a llama.cpp file and a
/// `transformers` folder go through the same loader. Tensors are decoded to float32 when asked for
/// (the file stays memory-mapped), and llama.cpp's row permutation of the query and key projections
/// (its converter interleaves each head's two rotary halves) is undone, as `transformers` does when it
/// loads a GGUF file.
public struct GGUFWeights: WeightSource {
    public let file: GGUFFile
    public let architecture: String
    /// Query heads and key/value heads (the permutation works per head).
    public let headCount: Int
    public let keyValueHeadCount: Int
    private let ggufNames: [String: String]

    public static let supportedArchitectures = ["llama", "qwen2", "gpt2"]

    public init(file: GGUFFile) throws {
        self.file = file
        let path = file.url.path
        guard let architecture = file.architecture else {
            throw GGUFModelError.missingMetadata(path: path, key: "general.architecture", expected: "a string")
        }
        guard Self.supportedArchitectures.contains(architecture) else {
            throw GGUFModelError.unsupportedArchitecture(path: path, architecture: architecture, supported: Self.supportedArchitectures)
        }
        func count(_ key: String) throws -> Int {
            guard let n = file.metadata["\(architecture).\(key)"]?.int, n > 0 else {
                throw GGUFModelError.missingMetadata(path: path, key: "\(architecture).\(key)", expected: "a positive integer")
            }
            return n
        }
        self.architecture = architecture
        let layers = try count("block_count")
        headCount = try count("attention.head_count")
        keyValueHeadCount = (try? count("attention.head_count_kv")) ?? headCount
        let names = architecture == "gpt2" ? Self.gpt2Names(layers: layers) : Self.llamaNames(layers: layers)
        ggufNames = names.filter { file.info(named: $0.value) != nil }
    }

    public var location: String { file.url.path }

    public func storedShape(_ name: String) -> [Int]? {
        guard let shape = ggufNames[name].flatMap({ file.info(named: $0)?.shape }) else { return nil }
        return architecture == "gpt2" && Self.conv1DNames.contains(where: name.hasSuffix) ? shape.reversed() : shape
    }

    /// Quantized and 16-bit tensors stay in the mapping; the forward pass decodes each block's when it reaches it.
    public func isStoredInHalfPrecision(_ name: String) -> Bool {
        guard let type = ggufNames[name].flatMap({ file.info(named: $0)?.type }) else { return false }
        return type != .f32
    }

    /// Every decode is into new memory the file does not keep.
    public func transientTensor(named name: String) throws -> Tensor { try tensor(named: name) }

    public func unreadableDType(_ name: String) -> String? {
        guard let type = ggufNames[name].flatMap({ file.info(named: $0)?.type }), !type.isReadable else { return nil }
        return type.name
    }

    /// "Q4_1 (210 tensors, 72123456 bytes)"-style lines for reports, in type order.
    public var typeSummary: [String] {
        var counts: [GGMLType: (tensors: Int, bytes: Int)] = [:]
        for t in file.tensors { counts[t.type, default: (0, 0)].tensors += 1; counts[t.type, default: (0, 0)].bytes += t.fileByteRange.count }
        return counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.name) (\($0.value.tensors) tensor\($0.value.tensors == 1 ? "" : "s"), \($0.value.bytes) bytes)" }
    }

    public func contains(_ name: String) -> Bool { ggufNames[name] != nil }

    public func tensor(named name: String) throws -> Tensor {
        guard let ggufName = ggufNames[name] else { throw ModelError.missingTensor(folder: location, tensor: name) }
        let tensor = try file.tensor(named: ggufName)
        // llama.cpp's converter stores GPT-2's Conv1D weights ([in, out]) transposed, as nn.Linear's [out, in].
        if architecture == "gpt2" {
            return Self.conv1DNames.contains { name.hasSuffix($0) } ? tensor.transposedCopy() : tensor
        }
        // It permutes Q/K rows for Llama only (Qwen2 files keep Hugging Face's order).
        guard architecture == "llama" else { return tensor }
        if name.hasSuffix("self_attn.q_proj.weight") || name.hasSuffix("self_attn.q_proj.bias") {
            return Self.undoRotaryPermutation(tensor, heads: headCount)
        }
        if name.hasSuffix("self_attn.k_proj.weight") || name.hasSuffix("self_attn.k_proj.bias") {
            return Self.undoRotaryPermutation(tensor, heads: keyValueHeadCount)
        }
        return tensor
    }

    /// Hugging Face name → llama.cpp name for a Llama-family checkpoint (Llama, Qwen2).
    static func llamaNames(layers: Int) -> [String: String] {
        var names = ["model.embed_tokens.weight": "token_embd.weight",
                     "model.norm.weight": "output_norm.weight",
                     "lm_head.weight": "output.weight"]
        let perLayer = ["self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
                        "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
                        "mlp.down_proj": "ffn_down", "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm"]
        for l in 0..<layers {
            for (hf, gguf) in perLayer {
                names["model.layers.\(l).\(hf).weight"] = "blk.\(l).\(gguf).weight"
                names["model.layers.\(l).\(hf).bias"] = "blk.\(l).\(gguf).bias"
            }
        }
        return names
    }

    /// Hugging Face name → llama.cpp name for GPT-2 (the names `GPT2Checkpoint` reads, without `transformer.`).
    static func gpt2Names(layers: Int) -> [String: String] {
        var names = ["wte.weight": "token_embd.weight", "wpe.weight": "position_embd.weight",
                     "ln_f.weight": "output_norm.weight", "ln_f.bias": "output_norm.bias", "lm_head.weight": "output.weight"]
        let perLayer = ["ln_1": "attn_norm", "attn.c_attn": "attn_qkv", "attn.c_proj": "attn_output", "ln_2": "ffn_norm",
                        "mlp.c_fc": "ffn_up", "mlp.c_proj": "ffn_down"]
        for l in 0..<layers {
            for (hf, gguf) in perLayer {
                names["h.\(l).\(hf).weight"] = "blk.\(l).\(gguf).weight"
                names["h.\(l).\(hf).bias"] = "blk.\(l).\(gguf).bias"
            }
        }
        return names
    }

    /// GPT-2's Conv1D weights, which llama.cpp writes transposed.
    static let conv1DNames = ["attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"]

    /// llama.cpp stores each head's rows as (j, half) pairs where Hugging Face has (half, j):
    /// HF row h·d + t·d/2 + j = GGUF row h·d + 2j + t, for t ∈ {0, 1}, j < d/2.
    static func undoRotaryPermutation(_ w: Tensor, heads: Int) -> Tensor {
        let rows = w.shape[0], columns = w.count / max(rows, 1)   // [heads·d_head, d_model]
        guard heads > 0, rows % (2 * heads) == 0 else { return w }
        let headDim = rows / heads, half = headDim / 2
        let out = Tensor(uninitialized: w.shape)
        for h in 0..<heads {
            for t in 0..<2 {
                for j in 0..<half {
                    let source = w.pointer + (h * headDim + 2 * j + t) * columns
                    (out.pointer + (h * headDim + t * half + j) * columns).update(from: source, count: columns)
                }
            }
        }
        return out
    }
}

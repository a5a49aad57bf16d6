import ArgumentParser
import Foundation
import MechFormats
import MechModels

/// `mechscope info`: what a model folder holds, before running anything.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show a model's architecture, shapes, parameter count, dtypes and files.")

    @OptionGroup var modelOptions: ModelOptions
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        var folder: String
        var model_type: String
        var n_layers: Int
        var d_model: Int
        var n_heads: Int
        var n_kv_heads: Int
        var d_head: Int
        var d_mlp: Int
        var n_ctx: Int
        var d_vocab: Int
        var attn_only: Bool
        var normalization: String
        var positions: String
        var mlp: String
        var parallel_attn_mlp: Bool
        var activation: String
        var tied_embeddings: Bool
        /// For an encoder: what sets it apart (attention direction, norm placement, token types, heads).
        var encoder: String?
        var block_norm: String
        var causal_attention: Bool
        var token_types: Int
        var lm_head: Bool
        /// A sentence-transformers folder's pooling (or why it could not be read).
        var sentence_pooling: String?
        var parameters: Int
        var dtypes: [String]
        var files: [FileEntry]
        /// Tensors in the weight files that Mechscope does not read (transformers' "unexpected keys").
        var unread_tensors: [String]
        var tokenizer: String
        var openblas: String
        /// For a GGUF file: its version and the `general.*`/`tokenizer.ggml.*` facts people look for.
        var gguf: [String: String]?
        struct FileEntry: Encodable { var name: String; var bytes: Int }
    }

    func run() throws {
        let opened = try modelOptions.openAny()
        guard case .transformer(let model) = opened else {
            if case .toySuperposition(let toy) = opened { try ToyModelReport.info(toy, json: json) }
            return
        }
        let c = model.config
        let report = Report(
            folder: model.folder.path, model_type: c.modelType, n_layers: c.nLayers, d_model: c.dModel,
            n_heads: c.nHeads, n_kv_heads: c.nKVHeads, d_head: c.dHead, d_mlp: c.dMLP, n_ctx: c.nContext, d_vocab: c.vocabSize,
            attn_only: c.attnOnly, normalization: c.normalization.exists ? c.normalization.description : "no LayerNorm",
            positions: c.positions.description, mlp: c.architecture.mlp.description,
            parallel_attn_mlp: c.architecture.parallelAttentionMLP,
            activation: c.activation.rawValue, tied_embeddings: c.tiedEmbeddings,
            encoder: c.architecture.isEncoder ? c.architecture.encoderSummary : nil,
            block_norm: c.architecture.blockNorm.rawValue, causal_attention: c.architecture.attention.causal,
            token_types: c.architecture.embeddings.tokenTypes, lm_head: c.architecture.lmHead,
            sentence_pooling: model.sentencePooling.map { "\($0.description) (sentence-transformers)" }
                ?? model.sentencePoolingError.map { "unreadable: \($0)" },
            parameters: c.parameterCount,
            dtypes: model.dtypeSummary,
            files: model.weightFiles.map { .init(name: $0.name, bytes: $0.bytes) },
            unread_tensors: model.transformer.weights.unreadTensorNames,
            tokenizer: model.tokenizer.map { "\($0.kindDescription), \($0.vocabSize) tokens" }
                ?? "none (\(model.tokenizerError.map { "\($0)" } ?? "not found"))",
            openblas: OpenBLASKernelSelection.summary,
            gguf: model.ggufFile.map(Self.ggufFacts))
        if json { try JSONOutput.print(report); return }
        var lines = [
            "model      \(report.folder)",
            "type       \(c.modelType)\(c.attnOnly ? " (attention-only)" : "")",
            "shape      \(Plural.count(c.nLayers, "layer")) × \(Plural.count(c.nHeads, "head"))\(c.nKVHeads == c.nHeads ? "" : " (\(c.nKVHeads) key/value)"), d_model \(c.dModel), d_head \(c.dHead), d_mlp \(c.dMLP)",
            "context    \(c.nContext) positions, vocabulary \(c.vocabSize)",
            "blocks     \(report.normalization), \(c.positions.description), \(report.mlp)\(report.parallel_attn_mlp ? ", parallel attention and MLP" : "")"
                + (c.architecture.lmHead ? ", unembedding \(c.tiedEmbeddings ? "tied to the embedding" : "separate")" : ""),
        ]
        if let encoder = report.encoder { lines.append("encoder    \(encoder)") }
        if let pooling = report.sentence_pooling { lines.append("pooling    \(pooling)") }
        if !report.unread_tensors.isEmpty {
            let shown = report.unread_tensors.prefix(4).joined(separator: ", ")
            let more = report.unread_tensors.count > 4 ? ", … (--json lists all)" : ""
            lines.append("unread     \(Plural.count(report.unread_tensors.count, "tensor")) in the weight files no part of the model reads: \(shown)\(more)")
        }
        lines += [
            "parameters \(ByteFormat.count(report.parameters))",
            "dtypes     \(report.dtypes.joined(separator: ", "))",
            "tokenizer  \(report.tokenizer)",
            "openblas   \(report.openblas)",
            "files",
        ]
        for line in lines { print(line) }
        for f in report.files { print("  \(f.name)  \(ByteFormat.bytes(f.bytes))") }
        if let facts = report.gguf {
            print("gguf")
            for key in facts.keys.sorted() { print("  \(key)  \(facts[key]!)") }
        }
    }

    /// The GGUF metadata a reader of `info` wants: version, name, license, quantization, tokenizer.
    static func ggufFacts(_ file: GGUFFile) -> [String: String] {
        var facts = ["version": "\(file.version)", "metadata keys": "\(file.metadata.count)", "tensors": "\(file.tensors.count)"]
        for key in ["general.name", "general.organization", "general.basename", "general.size_label", "general.license",
                    "general.file_type", "general.quantization_version", "tokenizer.ggml.model", "tokenizer.ggml.pre"] {
            guard let value = file.metadata[key] else { continue }
            facts[key] = OneLineText.escaped(value.string ?? value.int.map(String.init) ?? value.typeName)
        }
        return facts
    }
}

/// Human-readable sizes and counts.
enum ByteFormat {
    static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB"]
        var v = Double(n), i = 0
        while v >= 1000 && i < units.count - 1 { v /= 1000; i += 1 }
        return i == 0 ? "\(n) B" : String(format: "%.1f %@", v, units[i])
    }

    static func count(_ n: Int) -> String {
        // Interpolated, not %d: String(format:)'s %d reads 32 bits (a 7B count printed negative).
        if n >= 1_000_000_000 { return String(format: "%.2fB", Double(n) / 1e9) + " (\(n))" }
        if n >= 1_000_000 { return String(format: "%.2fM", Double(n) / 1e6) + " (\(n))" }
        if n >= 1_000 { return String(format: "%.1fk", Double(n) / 1e3) + " (\(n))" }
        return "\(n)"
    }
}

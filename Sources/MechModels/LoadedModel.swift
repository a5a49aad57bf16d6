import Foundation
import MechFormats
import MechTensor

extension WeightStore: WeightSource {
    public var location: String { folder.path }
    public func contains(_ name: String) -> Bool { info(named: name) != nil }
    public func storedShape(_ name: String) -> [Int]? { info(named: name)?.shape }
    public func unreadableDType(_ name: String) -> String? {
        guard let dtype = info(named: name)?.dtype, !dtype.isLoadable else { return nil }
        return dtype.rawValue
    }
    public func isStoredInHalfPrecision(_ name: String) -> Bool {
        guard let dtype = info(named: name)?.dtype else { return false }
        return dtype == .f16 || dtype == .bf16
    }
}

/// A model opened for use — a Hugging Face folder or a GGUF file: config, memory-mapped weights bound
/// to a `Transformer`, and its tokenizer (absent tokenizers are an error only when a prompt needs one).
public final class LoadedModel: @unchecked Sendable {
    /// The model folder, or the GGUF file, it was opened from.
    public let folder: URL
    public let config: TransformerConfig
    public let weights: any WeightSource
    /// The safetensors store behind `weights` for a Hugging Face folder (nil for a GGUF file).
    public var weightStore: WeightStore? { weights as? WeightStore }
    /// The GGUF file behind `weights` (nil for a Hugging Face folder).
    public var ggufFile: GGUFFile? { (weights as? GGUFWeights)?.file }
    /// The files holding the weights (name, bytes) and a line per stored dtype, for reports.
    public let weightFiles: [(name: String, bytes: Int)]
    public let dtypeSummary: [String]
    public let transformer: Transformer
    public let tokenizer: Tokenizer?
    /// Why the tokenizer could not be loaded, when it could not.
    public let tokenizerError: Error?
    /// A sentence-transformers folder's pooling (`modules.json`, `1_Pooling/config.json`), nil otherwise.
    public let sentencePooling: SentencePooling?
    /// Why the folder's pooling could not be read, when it could not (the model still opens).
    public let sentencePoolingError: Error?

    /// Opens MODEL as a user typed it: a folder path or a Hugging Face hub id in the local cache.
    public static func open(_ spec: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LoadedModel {
        if let gguf = try GGUFPath.file(spec) { return try LoadedModel(gguf: gguf) }
        let folder = try ModelLocator(environment: environment).locate(spec).folder
        return try LoadedModel(folder: folder)
    }

    public init(folder: URL) throws {
        self.folder = folder
        let json = try JSONConfig(url: folder.appendingPathComponent("config.json"))
        config = try TransformerConfig(json: json)
        let store = try WeightStore(folder: folder)
        weights = store
        weightFiles = store.files.map { ($0.url.lastPathComponent, $0.size) }
        dtypeSummary = store.dtypeSummary
        transformer = try Transformer(config: config, source: store)
        (tokenizer, tokenizerError) = Self.optionalTokenizer { try Tokenizer(folder: folder) }
        do { (sentencePooling, sentencePoolingError) = (try SentencePooling.read(folder: folder), nil) } catch {
            (sentencePooling, sentencePoolingError) = (nil, error)
        }
    }

    /// Opens a llama.cpp GGUF file: config, weights and tokenizer all come from the one file, as
    /// `transformers` reads them (`from_pretrained(dir, gguf_file=…)`).
    public init(gguf url: URL) throws {
        folder = url
        let file = try GGUFFile(url: url)
        config = try TransformerConfig(gguf: file)
        let source = try GGUFWeights(file: file)
        weights = source
        weightFiles = [(url.lastPathComponent, file.fileSize)]
        dtypeSummary = source.typeSummary
        transformer = try Transformer(config: config, source: source)
        (tokenizer, tokenizerError) = Self.optionalTokenizer { try Tokenizer(gguf: file) }
        (sentencePooling, sentencePoolingError) = (nil, nil)
    }

    /// The tokenizer, or why there is none: a model without one still opens (an error only when a prompt needs it).
    private static func optionalTokenizer(_ load: () throws -> Tokenizer) -> (Tokenizer?, Error?) {
        do { return (try load(), nil) } catch { return (nil, error) }
    }

    /// The BOS token TransformerLens would prepend: the config's `bos_token_id`, else the tokenizer's.
    public var bosTokenID: Int? { config.bosTokenID ?? tokenizer?.bosTokenID }

    /// Token ids for a prompt exactly as the model's tokenizer splits it, optionally after a BOS
    /// token (TransformerLens's default); checks emptiness and the context length. An encoder's
    /// prompt gets the special tokens of its tokenizer's post-processor (`[CLS] … [SEP]`), as
    /// `transformers` and TransformerLens's HookedEncoder encode it.
    /// `truncate` cuts the ids before the context is checked (sentence-transformers' `max_seq_length`).
    public func tokenize(_ prompt: String, prependBOS: Bool = false,
                         truncate: ([Int]) -> [Int] = { $0 }) throws -> [Int] {
        guard let tokenizer else { throw tokenizerError ?? ModelError.emptyPrompt }
        var ids = config.architecture.isEncoder ? try tokenizer.encode(prompt, addSpecialTokens: true)
                                                : try tokenizer.encode(prompt)
        if ids.isEmpty { throw ModelError.emptyPrompt }
        if prependBOS {
            guard let bos = bosTokenID else {
                throw ModelError.badConfig(file: folder.appendingPathComponent("config.json").path,
                                           key: "bos_token_id", problem: "is missing, so --prepend-bos has no token to add")
            }
            ids.insert(bos, at: 0)
        }
        ids = truncate(ids)
        guard ids.count <= config.nContext else {
            throw ModelError.promptTooLong(tokens: ids.count, context: config.nContext)
        }
        return ids
    }
}

extension WeightStore {
    /// "F32 (148 tensors, 497.8 MB)"-style lines for reports.
    public var dtypeSummary: [String] {
        dtypes.map { "\($0.dtype.rawValue) (\($0.tensorCount) tensors, \($0.byteCount) bytes)" }
    }
}

import Foundation
import MechFormats
import MechTensor

extension WeightStore: WeightSource {
    public var location: String { folder.path }
    public func contains(_ name: String) -> Bool { info(named: name) != nil }
    public var tensorNames: [String]? { names }
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
    /// What titles and reports call it (`ModelName`: the folder's name unless that says nothing).
    public var name: String { ModelName.of(folder) }
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
    /// Seconds the open spent loading the tokenizer (for `bench`, which reports the open without it).
    public private(set) var tokenizerSeconds = 0.0
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
        (tokenizer, tokenizerError, tokenizerSeconds) = Self.optionalTokenizer { try Tokenizer(folder: folder) }
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
        (tokenizer, tokenizerError, tokenizerSeconds) = Self.optionalTokenizer { try Tokenizer(gguf: file) }
        (sentencePooling, sentencePoolingError) = (nil, nil)
    }

    /// The tokenizer, or why there is none (a model without one still opens: an error only when a prompt
    /// needs it), and the seconds loading it took.
    private static func optionalTokenizer(_ load: () throws -> Tokenizer) -> (Tokenizer?, Error?, Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let seconds = { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        do { let t = try load(); return (t, nil, seconds()) } catch { return (nil, error, seconds()) }
    }

    /// The BOS token TransformerLens would prepend: the config's `bos_token_id`, else the tokenizer's.
    public var bosTokenID: Int? { config.bosTokenID ?? tokenizer?.bosTokenID }

    /// Whether the tokenizer puts the BOS token before a prompt, as `transformers`' `tokenizer(prompt)`
    /// does: its post-processor's template (a GGUF file's `add_bos_token`) starts with the BOS token.
    public var tokenizerAddsBOS: Bool {
        guard let tokenizer, let first = tokenizer.specialTokensAroundText.leading.first else { return false }
        return first == bosTokenID || first == tokenizer.bosTokenID
    }

    /// Mechscope's one BOS policy: an explicit choice wins; otherwise config.json's `prepend_bos`
    /// (Mechscope's own key) when present, else what the tokenizer does.
    public func bosDecision(_ choice: BOSChoice) -> BOSDecision {
        switch choice {
        case .prepend: return BOSDecision(addsBOS: true, reason: .requested)
        case .omit: return BOSDecision(addsBOS: false, reason: .requested)
        case .modelDefault:
            if let configured = config.prependBOS { return BOSDecision(addsBOS: configured, reason: .config) }
            if tokenizerAddsBOS { return BOSDecision(addsBOS: true, reason: .tokenizerAddsBOS(fromGGUF: ggufFile != nil)) }
            return BOSDecision(addsBOS: false, reason: .tokenizerAddsNone)
        }
    }

    /// Token ids for a prompt exactly as the model's tokenizer gives them with its special tokens
    /// (`transformers`' `tokenizer(prompt)`: BOS, and EOS/SEP where the post-processor puts them), with
    /// the BOS token first or not as `bos` resolves (`bosDecision`) — added when the tokenizer adds none,
    /// removed when it adds one that is not wanted, never doubled. Checks emptiness and the context length;
    /// `truncate` cuts the ids before the context is checked (sentence-transformers' `max_seq_length`).
    public func tokenize(_ prompt: String, bos: BOSChoice = .modelDefault,
                         truncate: ([Int]) -> [Int] = { $0 }) throws -> [Int] {
        guard let tokenizer else { throw tokenizerError ?? ModelError.emptyPrompt }
        let text = try tokenizer.encode(prompt)
        if text.isEmpty { throw ModelError.emptyPrompt }
        var (leading, trailing) = tokenizer.specialTokensAroundText
        let decision = bosDecision(bos)
        if tokenizerAddsBOS && !decision.addsBOS { leading.removeFirst() }
        if !tokenizerAddsBOS && decision.addsBOS { leading.insert(try requiredBOS(for: decision), at: 0) }
        return try checkedLength(truncate(leading + text + trailing))
    }

    /// Token ids a user gave (`--prompt-ids`), with the BOS token put first when `bos` resolves to
    /// one and the ids do not already start with it; ids given are never removed.
    public func withBOS(_ ids: [Int], bos: BOSChoice = .modelDefault) throws -> [Int] {
        let decision = bosDecision(bos)
        guard decision.addsBOS else { return try checkedLength(ids) }
        let token = try requiredBOS(for: decision)
        return try checkedLength(ids.first == token ? ids : [token] + ids)
    }

    private func requiredBOS(for decision: BOSDecision) throws -> Int {
        let gguf = ggufFile != nil
        func bad(_ problem: String) -> ModelError {
            ModelError.badConfig(file: gguf ? folder.path : folder.appendingPathComponent("config.json").path,
                                 key: gguf ? "tokenizer.ggml.bos_token_id" : "bos_token_id", problem: problem)
        }
        guard let bos = bosTokenID else { throw bad("is missing, so there is no BOS token to put first (\(decision))") }
        guard (0..<config.vocabSize).contains(bos) else {
            if config.bosTokenID == nil, !gguf {   // the tokenizer's BOS: its id is beyond the model's vocabulary
                throw ModelError.tokenOutOfRange(token: bos, vocabSize: config.vocabSize)
            }
            throw bad("is \(bos), outside the vocabulary of \(config.vocabSize), so it cannot be put first (\(decision))")
        }
        return bos
    }

    private func checkedLength(_ ids: [Int]) throws -> [Int] {
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

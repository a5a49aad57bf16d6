import Foundation
import MechFormats
import MechTensor

/// How a sentence-transformers folder turns an encoder's token outputs into one sentence vector:
/// `modules.json` lists the modules (Transformer → Pooling → Normalize), the Pooling module's
/// `config.json` its modes. Read tolerantly: absent keys are false, unknown keys and modules that do
/// not change the vector are ignored; a folder without `modules.json` is no sentence-transformers folder.
public struct SentencePooling: Sendable, Equatable {
    /// Pooling modes in the order sentence-transformers concatenates them.
    public enum Mode: String, Sendable, CaseIterable {
        case cls = "pooling_mode_cls_token"
        case max = "pooling_mode_max_tokens"
        case mean = "pooling_mode_mean_tokens"
        case meanSqrtLength = "pooling_mode_mean_sqrt_len_tokens"

        public var label: String {
            switch self {
            case .cls: return "[CLS] token"
            case .max: return "max over tokens"
            case .mean: return "mean over tokens"
            case .meanSqrtLength: return "sum over tokens / √length"
            }
        }
    }

    public var modes: [Mode]
    /// Whether a Normalize module L2-normalises the pooled vector.
    public var normalize: Bool
    /// `sentence_bert_config.json`'s `max_seq_length`: longer inputs are truncated to it (nil: no limit
    /// besides the model's context).
    public var maxSequenceLength: Int?

    public init(modes: [Mode], normalize: Bool, maxSequenceLength: Int? = nil) {
        self.modes = modes
        self.normalize = normalize
        self.maxSequenceLength = maxSequenceLength
    }

    /// `ids` cut to `maxSequenceLength` as sentence-transformers' tokenizer call truncates one sequence:
    /// the text's tokens are cut and the post-processor's last token (`[SEP]`) kept.
    public func truncated(_ ids: [Int]) -> [Int] {
        guard let limit = maxSequenceLength, ids.count > limit, limit >= 2 else { return ids }
        return Array(ids.prefix(limit - 1)) + [ids.last!]
    }

    /// "mean over tokens, L2-normalised".
    public var description: String {
        modes.map(\.label).joined(separator: " ⊕ ") + (normalize ? ", L2-normalised" : "")
    }

    /// The folder's pooling, or nil when it has no `modules.json` (or no Pooling module in it).
    public static func read(folder: URL) throws -> SentencePooling? {
        let modulesURL = folder.appendingPathComponent("modules.json")
        guard FileManager.default.fileExists(atPath: modulesURL.path) else { return nil }
        let root: JSONValue
        do { root = try JSONParser.parse(try FileBytes.read(modulesURL)) } catch let error as JSONSyntaxError {
            throw FormatError.invalidJSON(path: modulesURL.path, byteOffset: error.offset, reason: error.message)
        }
        guard let modules = root.arrayValue else {
            throw SentencePoolingError.notAModuleList(path: modulesURL.path, found: root.typeName)
        }
        var poolingPath: String?
        var normalize = false
        for case .object(let module) in modules {
            let entry = module.dictionary
            let type = entry["type"]?.stringValue ?? ""
            if type.hasSuffix(".Pooling") || type == "Pooling" { poolingPath = entry["path"]?.stringValue ?? "" }
            if type.hasSuffix(".Normalize") || type == "Normalize" { normalize = true }
        }
        guard let poolingPath else { return nil }
        let configURL = folder.appendingPathComponent(poolingPath).appendingPathComponent("config.json")
        let config = try JSONConfig(url: configURL)
        let modes = try Mode.allCases.filter { try config.optionalBool($0.rawValue) ?? false }
        let unsupported = try ["pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"]
            .filter { try config.optionalBool($0) ?? false }
        if let mode = unsupported.first { throw SentencePoolingError.unsupportedMode(path: configURL.path, mode: mode) }
        guard !modes.isEmpty else { throw SentencePoolingError.noMode(path: configURL.path) }
        let bertConfigURL = folder.appendingPathComponent("sentence_bert_config.json")
        var maxLength: Int?
        if FileManager.default.fileExists(atPath: bertConfigURL.path) {
            let bertConfig = try JSONConfig(url: bertConfigURL)
            maxLength = try bertConfig.optionalInt("max_seq_length")
            if let m = maxLength, m < 2 {
                throw ModelError.badConfig(file: bertConfigURL.path, key: "max_seq_length", problem: "must be at least 2, found \(m)")
            }
        }
        return SentencePooling(modes: modes, normalize: normalize, maxSequenceLength: maxLength)
    }

    /// The sentence vector of one prompt's token outputs [pos, d_model] (every token attended to,
    /// as a single unpadded sentence is), accumulated in Double.
    public func embed(_ tokens: Tensor) -> [Float] {
        let n = tokens.shape[0], d = tokens.shape[1]
        var out: [Double] = []
        for mode in modes {
            var v = [Double](repeating: mode == .max ? -.infinity : 0, count: d)
            for p in 0..<(mode == .cls ? min(n, 1) : n) {
                let row = tokens.pointer + p * d
                for i in 0..<d { v[i] = mode == .max ? Swift.max(v[i], Double(row[i])) : v[i] + Double(row[i]) }
            }
            switch mode {
            case .mean: v = v.map { $0 / Double(Swift.max(n, 1)) }
            case .meanSqrtLength: v = v.map { $0 / Double(Swift.max(n, 1)).squareRoot() }
            case .cls, .max: break
            }
            out += v
        }
        if normalize {
            let norm = Swift.max(out.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            out = out.map { $0 / norm }
        }
        return out.map(Float.init)
    }

    /// The cosine similarity of two vectors (in Double).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return dot / Swift.max((na * nb).squareRoot(), 1e-24)
    }
}

/// Why a sentence-transformers folder's pooling cannot be read, in one line.
public enum SentencePoolingError: Error, CustomStringConvertible, LocalizedError, Equatable {
    case notAModuleList(path: String, found: String)
    case noMode(path: String)
    case unsupportedMode(path: String, mode: String)

    public var description: String {
        switch self {
        case .notAModuleList(let path, let found):
            return "\(path): expected a JSON array of modules, found \(found)"
        case .noMode(let path):
            return "\(path): no pooling mode is true (set pooling_mode_mean_tokens, _cls_token, _max_tokens or _mean_sqrt_len_tokens)"
        case .unsupportedMode(let path, let mode):
            return "\(path): \(mode) is not supported (mean, cls, max and mean_sqrt_len pooling are)"
        }
    }

    public var errorDescription: String? { description }
}

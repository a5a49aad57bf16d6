import Foundation

/// Why a tokenizer could not be loaded or used; every case names the file or setting at fault so the
/// one-line `description` tells the user what to fix.
public enum TokenizerError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The folder has neither `tokenizer.json` nor a `vocab.json` + `merges.txt` pair.
    case noTokenizerFiles(folder: String)
    /// A file exists but could not be read (permissions, not a regular file, ...).
    case unreadableFile(path: String, reason: String)
    /// A file is not valid JSON; `byteOffset` points at the first offending byte.
    case malformedJSON(path: String, byteOffset: Int, problem: String)
    /// A file is valid JSON (or text) but its content is not what a tokenizer file must contain.
    case invalidContent(path: String, problem: String)
    /// `merges.txt` has a line that is not two space-separated tokens.
    case malformedMergesLine(path: String, line: Int, text: String)
    /// A merge mentions a token (or produces one) that is missing from the vocabulary.
    case mergeTokenNotInVocabulary(path: String, token: String)
    /// The tokenizer uses a component Mechscope does not implement: `kind` is "model", "normalizer",
    /// "pre_tokenizer", "decoder" or "post_processor", `location` its JSON path in the file
    /// (e.g. `normalizer.normalizers[1]`).
    case unsupportedComponent(path: String, kind: String, type: String, location: String)
    /// A `Split`/`Replace` pattern uses regex syntax Mechscope's engine does not implement.
    case unsupportedPattern(path: String, location: String, pattern: String, problem: String)
    /// The tokenizer uses a model option that would change results and Mechscope does not support.
    case unsupportedOption(path: String, option: String)
    /// A WordLevel tokenizer met a word outside its vocabulary and its `unk_token` is not in the vocabulary either.
    case wordNotInVocabulary(word: String, unknownToken: String)
    /// A Unigram model met text no piece covers and has no `unk_id` to stand for it.
    case noUnknownPiece(word: String)
    /// `encode(_:prependBOS:)` was asked to prepend a BOS token the tokenizer does not know.
    case noBOSToken

    /// The message on one line: control characters in quoted tokens, keys and paths are escaped.
    public var description: String { OneLineText.escaped(message) }

    private var message: String {
        switch self {
        case .noTokenizerFiles(let folder):
            return "no tokenizer in \(folder): expected tokenizer.json, or vocab.json + merges.txt "
                + "(copy them from the model's Hugging Face folder)"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .malformedJSON(let path, let offset, let problem):
            return "\(path) is not valid JSON at byte \(offset): \(problem)"
        case .invalidContent(let path, let problem):
            return "\(path): \(problem)"
        case .malformedMergesLine(let path, let line, let text):
            return "\(path) line \(line) is not two space-separated tokens: \"\(text)\""
        case .mergeTokenNotInVocabulary(let path, let token):
            return "\(path): merge uses token \"\(token)\" which is not in the vocabulary (vocab and merges do not belong together)"
        case .unsupportedComponent(let path, let kind, let type, let location):
            return "\(path): unsupported \(kind) \"\(type)\" at \(location) (supported: "
                + (Self.supportedComponents[kind] ?? "none") + ")"
        case .unsupportedPattern(let path, let location, let pattern, let problem):
            return "\(path): pattern \"\(pattern)\" at \(location) is not supported: \(problem)"
        case .unsupportedOption(let path, let option):
            return "\(path): tokenizer option \(option) is not supported"
        case .wordNotInVocabulary(let word, let unknownToken):
            return "cannot encode \"\(word)\": not in the vocabulary, and the unk_token \"\(unknownToken)\" is not in it either"
        case .noUnknownPiece(let word):
            return "cannot encode \"\(word)\": no vocabulary piece covers it and the Unigram model has no unk_id"
        case .noBOSToken:
            return "the tokenizer has no known BOS token; set bosTokenID (e.g. from config.json) or encode without prependBOS"
        }
    }

    public var errorDescription: String? { description }

    /// What each kind of component may be, for the unsupported-component message.
    static let supportedComponents: [String: String] = [
        "model": "BPE, Unigram, WordLevel, WordPiece",
        "normalizer": "NFC, NFD, NFKC, NFKD, Lowercase, Replace, Prepend, Strip, StripAccents, BertNormalizer, Sequence",
        "pre_tokenizer": "ByteLevel, Split, Digits, Metaspace, BertPreTokenizer, Whitespace, WhitespaceSplit, Punctuation, Sequence",
        "decoder": "ByteLevel, ByteFallback, Fuse, Strip, Replace, Metaspace, WordPiece, Sequence",
        "post_processor": "TemplateProcessing, BertProcessing, RobertaProcessing, ByteLevel, Sequence",
    ]
}

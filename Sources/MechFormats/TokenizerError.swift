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
    /// The tokenizer uses a model type Mechscope does not implement (e.g. WordPiece, Unigram).
    case unsupportedModel(path: String, type: String)
    /// The tokenizer uses a normalizer Mechscope does not implement.
    case unsupportedNormalizer(path: String, type: String)
    /// The tokenizer uses a pre-tokenizer Mechscope does not implement.
    case unsupportedPreTokenizer(path: String, type: String)
    /// The tokenizer uses a decoder Mechscope does not implement.
    case unsupportedDecoder(path: String, type: String)
    /// The tokenizer uses a model option that would change results and Mechscope does not support.
    case unsupportedOption(path: String, option: String)
    /// A WordLevel tokenizer met a word outside its vocabulary and its `unk_token` is not in the vocabulary either.
    case wordNotInVocabulary(word: String, unknownToken: String)
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
        case .unsupportedModel(let path, let type):
            return "\(path): tokenizer model \"\(type)\" is not supported (supported: BPE, WordLevel)"
        case .unsupportedNormalizer(let path, let type):
            return "\(path): unsupported normalizer \"\(type)\" (supported: none, NFC, NFD, NFKC, NFKD, Sequence of those)"
        case .unsupportedPreTokenizer(let path, let type):
            return "\(path): unsupported pre_tokenizer \"\(type)\" (supported: ByteLevel, Whitespace, WhitespaceSplit, Sequence of those)"
        case .unsupportedDecoder(let path, let type):
            return "\(path): unsupported decoder \"\(type)\" (supported: none, ByteLevel)"
        case .unsupportedOption(let path, let option):
            return "\(path): tokenizer option \(option) is not supported"
        case .wordNotInVocabulary(let word, let unknownToken):
            return "cannot encode \"\(word)\": not in the vocabulary, and the unk_token \"\(unknownToken)\" is not in it either"
        case .noBOSToken:
            return "the tokenizer has no known BOS token; set bosTokenID (e.g. from config.json) or encode without prependBOS"
        }
    }

    public var errorDescription: String? { description }
}

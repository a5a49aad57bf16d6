import MechFormats
import MechModels

/// A token as a person names it: its text, which must tokenize to exactly one token (" Mary"),
/// or `#ID`. Shared by the CLI's `--answer`/`--target` options and the explorer's `:answer`.
public enum TokenReference {
    /// The token id `text` names, or a one-line reason it names none.
    public static func resolve(_ text: String, in model: LoadedModel) throws -> Int {
        let vocab = model.config.vocabSize
        if text.hasPrefix("#"), text.count > 1 {
            guard let id = Int(text.dropFirst()) else { throw TokenReferenceError.notAnID(text, example: min(262, vocab - 1)) }
            guard id >= 0, id < vocab else { throw TokenReferenceError.outsideVocabulary(text, vocabSize: vocab) }
            return id
        }
        guard let tokenizer = model.tokenizer else {
            throw TokenReferenceError.noTokenizer(text, reason: model.tokenizerError.map { "\($0)" } ?? "not found")
        }
        let ids = try tokenizer.encode(text)
        guard ids.count == 1 else {
            if ids.isEmpty { throw TokenReferenceError.empty(text) }
            throw TokenReferenceError.severalTokens(text, pieces: ids.map { tokenizer.displayText(of: $0) }, ids: ids)
        }
        return ids[0]
    }

    /// How a token id reads on screen and in reports: its text with invisible characters spelled
    /// out (`TokenDisplayText`), or `#id` without a tokenizer.
    public static func display(_ id: Int, in model: LoadedModel) -> String {
        model.tokenizer?.displayText(of: id) ?? "#\(id)"
    }
}

/// Why a token reference names no single token.
public enum TokenReferenceError: Error, Equatable, CustomStringConvertible {
    case notAnID(String, example: Int)
    case outsideVocabulary(String, vocabSize: Int)
    case noTokenizer(String, reason: String)
    case empty(String)
    case severalTokens(String, pieces: [String], ids: [Int])

    public var description: String {
        switch self {
        case .notAnID(let text, let example):
            return "'\(text)' is not a token id: write #ID with a number, e.g. #\(example)"
        case .outsideVocabulary(let text, let vocab):
            return "\(text) is outside the vocabulary of \(vocab) (use #0…#\(vocab - 1))"
        case .noTokenizer(let text, let reason):
            return "'\(text)' needs the model's tokenizer, which did not load (\(reason)): give the token as #ID"
        case .empty(let text):
            return "'\(text)' is no token at all: give one token's text or #ID"
        case .severalTokens(let text, let pieces, let ids):
            return "'\(text)' is \(ids.count) tokens, not one: " + pieces.map { "'\($0)'" }.joined(separator: " ")
                + " (ids \(ids.map(String.init).joined(separator: " "))); give a single token, or #ID"
        }
    }
}

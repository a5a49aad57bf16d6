import MechAnalysis
import MechFormats
import MechModels

/// Tokens and positions as typed on the command line (`--answer`, `--wrong`, `--target`, `--position`).
enum TokenArgument {
    /// A token given as text that must tokenize to exactly one token (" Mary"), or as `#ID`.
    static func resolve(_ text: String, option: String, model: LoadedModel) throws -> Int {
        let vocab = model.config.vocabSize
        if text.hasPrefix("#"), text.count > 1 {
            guard let id = Int(text.dropFirst()) else {
                throw CLIError("\(option) '\(text)' is not a token id: write #ID with a number, e.g. #\(min(262, vocab - 1))")
            }
            guard id >= 0, id < vocab else {
                throw CLIError("\(option) \(text) is outside the vocabulary of \(vocab) (use #0…#\(vocab - 1))")
            }
            return id
        }
        guard let tokenizer = model.tokenizer else {
            throw CLIError("\(option) '\(text)' needs the model's tokenizer, which did not load "
                           + "(\(model.tokenizerError.map { "\($0)" } ?? "not found")): give the token as #ID")
        }
        let ids = try tokenizer.encode(text)
        guard ids.count == 1 else {
            if ids.isEmpty { throw CLIError("\(option) '\(text)' is no token at all: give one token's text or #ID") }
            let pieces = ids.map { "'\(tokenizer.displayText(of: $0))'" }.joined(separator: " ")
            throw CLIError("\(option) '\(text)' is \(ids.count) tokens, not one: \(pieces) (ids "
                           + "\(ids.map(String.init).joined(separator: " "))); give a single token, or #ID")
        }
        return ids[0]
    }

    /// `--answer` and `--wrong` resolved; the same token twice is refused (its difference is always 0).
    static func answerAndWrong(_ answer: String, _ wrong: String, model: LoadedModel) throws -> (answer: Int, wrong: Int) {
        let a = try resolve(answer, option: "--answer", model: model)
        let w = try resolve(wrong, option: "--wrong", model: model)
        guard a != w else { throw InputError.sameToken(id: a, token: display(a, model: model)) }
        return (a, w)
    }

    /// How a token id reads in reports: its text, or `#id` without a tokenizer.
    static func display(_ id: Int, model: LoadedModel) -> String {
        model.tokenizer?.displayText(of: id) ?? "#\(id)"
    }

    /// `--position` (negative counts from the end) as an absolute index into `count` tokens.
    static func position(_ position: Int?, count: Int) throws -> Int {
        do {
            return try ResidualPositions.resolve(position ?? -1, count: count)
        } catch {
            throw CLIError("--position \(position ?? -1) is outside the prompt's \(count) tokens "
                           + "(use 0…\(count - 1), or -\(count)…-1 counting from the end)")
        }
    }

    /// A token for reports: its id and how it reads.
    struct Token: Encodable {
        var token_id: Int
        var token: String

        init(_ id: Int, _ model: LoadedModel) {
            token_id = id
            token = model.tokenizer?.displayText(of: id) ?? "#\(id)"
        }
    }
}

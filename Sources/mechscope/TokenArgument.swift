import MechAnalysis
import MechFormats
import MechModels

/// Tokens and positions as typed on the command line (`--answer`, `--wrong`, `--target`, `--position`).
enum TokenArgument {
    /// A token given as text that must tokenize to exactly one token (" Mary"), or as `#ID`
    /// (`TokenReference`, shared with the explorer's `:answer`), with the option named in errors.
    static func resolve(_ text: String, option: String, model: LoadedModel) throws -> Int {
        do {
            return try TokenReference.resolve(text, in: model)
        } catch let error as TokenReferenceError {
            throw CLIError("\(option) \(error)")
        }
    }

    /// `--answer` and `--wrong` resolved; the same token twice is refused (its difference is always 0).
    static func answerAndWrong(_ answer: String, _ wrong: String, model: LoadedModel) throws -> (answer: Int, wrong: Int) {
        let a = try resolve(answer, option: "--answer", model: model)
        let w = try resolve(wrong, option: "--wrong", model: model)
        guard a != w else { throw InputError.sameToken(id: a, token: display(a, model: model)) }
        return (a, w)
    }

    /// How a token id reads in reports: its text, or `#id` without a tokenizer.
    static func display(_ id: Int, model: LoadedModel) -> String { TokenReference.display(id, in: model) }

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
            token = TokenReference.display(id, in: model)
        }
    }
}

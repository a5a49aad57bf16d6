import MechFormats
import MechModels

/// A token named on the command line (`--answer`, `--wrong`): text that the model's tokenizer
/// turns into exactly one token, or `#ID` for a token id.
enum PatchTokenArgument {
    /// The token id `text` names, or a one-line error saying how the text tokenizes instead.
    static func resolve(_ text: String, option: String, model: LoadedModel) throws -> Int {
        let vocab = model.config.vocabSize
        if text.hasPrefix("#") {
            guard let id = Int(text.dropFirst()) else {
                throw CLIError("\(option) '\(text)': give a token id after '#', like #42")
            }
            guard id >= 0 && id < vocab else {
                throw CLIError("\(option) \(text) is outside the vocabulary of \(vocab) (ids 0…\(vocab - 1))")
            }
            return id
        }
        guard let tokenizer = model.tokenizer else {
            throw CLIError("\(option) '\(text)' needs the model's tokenizer, which did not load "
                           + "(\(model.tokenizerError.map { "\($0)" } ?? "not found")); give the token as #ID")
        }
        let ids = try tokenizer.encode(text)
        guard ids.count == 1 else {
            let pieces = ids.map { "'\(tokenizer.displayText(of: $0))' (#\($0))" }.joined(separator: " ")
            throw CLIError("\(option) '\(text)' is \(ids.count) tokens\(ids.isEmpty ? "" : ": \(pieces)"); "
                           + "give text that is one token (mind the leading space) or its id as #ID")
        }
        return ids[0]
    }

    /// How a token id reads in reports: its text, or `#id` without a tokenizer.
    static func display(_ id: Int, model: LoadedModel) -> String {
        model.tokenizer?.displayText(of: id) ?? "#\(id)"
    }
}

import MechModels

/// A command-line value that cannot be used as given, found after parsing. Each case names the
/// option and the value, and `description` is one line saying what to do instead.
enum InputError: Error, CustomStringConvertible {
    case sameToken(id: Int, token: String)
    case conflictingOptions(String, String)
    case emptyListField(option: String, value: String, field: Int)
    case emptyPrompt(option: String)
    case mustBePositive(option: String, value: Int)
    case noPrompts(folder: String, file: String)
    case promptsFileHasOnlyBlankLines(file: String)
    /// A prompt given by `option` that the model cannot run, with the model's reason.
    case unusablePrompt(option: String, reason: String)

    var description: String {
        switch self {
        case let .sameToken(id, token):
            return "--answer and --wrong are the same token ('\(token)', #\(id)): their logit difference is always 0; "
                + "choose two different tokens"
        case let .conflictingOptions(a, b):
            return "\(a) and \(b) conflict: give only one of them"
        case let .emptyListField(option, value, field):
            return "\(option) '\(value)': field \(field) is empty; write ids separated by single commas, e.g. 1,2,3"
        case let .emptyPrompt(option):
            return "\(option) is empty: give some text to run"
        case let .mustBePositive(option, value):
            return "\(option) \(value) is not allowed: it must be at least 1"
        case let .noPrompts(folder, file):
            return "give a prompt with --prompt TEXT (\(folder) has no \(file))"
        case let .unusablePrompt(option, reason):
            return "\(option): \(reason)"
        case let .promptsFileHasOnlyBlankLines(file):
            return "give a prompt with --prompt TEXT (\(file) has only blank lines, no prompt)"
        }
    }
}

extension InputError {
    /// `body` (tokenizing one of several prompts), its errors said to be about the prompt given by `option`.
    static func naming<T>(_ option: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch ModelError.emptyPrompt {
            throw InputError.emptyPrompt(option: option)
        } catch let error as ModelError {
            throw InputError.unusablePrompt(option: option, reason: error.description)
        }
    }
}

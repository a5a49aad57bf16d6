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
        case let .promptsFileHasOnlyBlankLines(file):
            return "give a prompt with --prompt TEXT (\(file) has only blank lines, no prompt)"
        }
    }
}

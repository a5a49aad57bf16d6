/// A one-line message in the status line (an error, or what a command did), until the next key.
public struct StatusMessage: Equatable, Sendable {
    public let text: String
    public let isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// How keys are read right now.
public enum InputMode: Equatable, Sendable {
    case normal
    case prompt(LineEditor)
    case command(LineEditor)
    case help(scroll: Int)
}

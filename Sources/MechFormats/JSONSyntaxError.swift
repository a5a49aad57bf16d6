/// Why a byte sequence is not valid JSON, and the byte offset where parsing stopped.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset in the parsed input where the problem was found (for a bad escape, its backslash).
    public let offset: Int
    /// What is wrong, e.g. `duplicate key "a"`.
    public let message: String

    /// One line: control characters in a quoted key are escaped.
    public var description: String { OneLineText.escaped("\(message) at byte \(offset)") }
}

/// What the worker hands back to the core. Every output carries the generation it was computed
/// for, so the core drops results of a prompt that has since changed.
public enum ComputeOutput: Sendable {
    case ran(generation: Int, Result<RunSnapshot, ComputeFailure>)
    case progress(AnalysisRequest, generation: Int, AnalysisValue)
    case finished(AnalysisRequest, generation: Int, Result<AnalysisValue, ComputeFailure>, milliseconds: Double)
    /// The corrupted prompt's run of `generation`.
    case ranCorrupted(generation: Int, Result<RunSnapshot, ComputeFailure>)
}

/// A compute error as one line for the status bar (or `cancelled`, which is not shown).
public struct ComputeFailure: Error, Equatable, Sendable {
    public let message: String
    public let cancelled: Bool

    public init(_ message: String, cancelled: Bool = false) {
        self.message = message
        self.cancelled = cancelled
    }
}

/// Token lookups the core needs for `:answer` and `:wrong` (the model's tokenizer, or a test's).
public protocol TokenVocabulary: Sendable {
    /// The id of a single token given as text or `#ID`, or an error whose description is one line.
    func resolve(_ text: String) throws -> Int
    /// The token's text as the views show it.
    func display(_ id: Int) -> String
}

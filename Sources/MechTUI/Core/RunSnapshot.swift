import MechModels

/// A finished forward pass of the current prompt, as the views read it: tokens, their display
/// text, the full activation cache, and the next-token distribution's head.
public struct RunSnapshot: @unchecked Sendable {
    /// Bumped with every prompt; results of older generations are dropped.
    public let generation: Int
    public let prompt: String
    public let prependBOS: Bool
    public let tokens: [Int]
    /// Each token as the tokenizer split it, spaces and newlines made visible (`TokenDisplayText`).
    public let tokenTexts: [String]
    public let result: ForwardResult
    /// The most likely next tokens at the last position, most likely first.
    public let topNext: [NextToken]
    /// Wall time of tokenizing and the forward pass, in milliseconds.
    public let milliseconds: Double

    public struct NextToken: Equatable, Sendable {
        public let tokenID: Int
        public let text: String
        public let probability: Float
        public let logit: Float
    }

    public init(generation: Int, prompt: String, prependBOS: Bool, tokens: [Int], tokenTexts: [String],
                result: ForwardResult, topNext: [NextToken], milliseconds: Double) {
        self.generation = generation
        self.prompt = prompt
        self.prependBOS = prependBOS
        self.tokens = tokens
        self.tokenTexts = tokenTexts
        self.result = result
        self.topNext = topNext
        self.milliseconds = milliseconds
    }

    public var count: Int { tokens.count }
}

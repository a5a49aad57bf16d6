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
    /// The ablations this run was made with (empty: the clean run).
    public let ablations: [Ablation]
    /// With ablations: the clean run's last-position logits and mean next-token loss, to compare with.
    public let clean: Baseline?
    /// The mean next-token loss of this run (computed when ablations are on).
    public let loss: Float?

    public struct Baseline: Sendable {
        public let lastLogits: [Float]
        public let loss: Float?
        public init(lastLogits: [Float], loss: Float?) {
            self.lastLogits = lastLogits
            self.loss = loss
        }
    }

    public struct NextToken: Equatable, Sendable {
        public let tokenID: Int
        public let text: String
        public let probability: Float
        public let logit: Float
    }

    public init(generation: Int, prompt: String, prependBOS: Bool, tokens: [Int], tokenTexts: [String],
                result: ForwardResult, topNext: [NextToken], milliseconds: Double,
                ablations: [Ablation] = [], clean: Baseline? = nil, loss: Float? = nil) {
        self.ablations = ablations
        self.clean = clean
        self.loss = loss
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

    /// This run's and the clean run's metrics for `answer` (and `wrong`), when ablations are on.
    public func comparison(answer: Int, wrong: Int?) -> (ablated: RunMetrics, clean: RunMetrics)? {
        guard let clean, let last = result.lastLogits,
              let a = RunMetrics(lastLogits: last.scalars, loss: loss, answer: answer, wrong: wrong),
              let c = RunMetrics(lastLogits: clean.lastLogits, loss: clean.loss, answer: answer, wrong: wrong) else { return nil }
        return (a, c)
    }
}

import MechModels
import MechTensor

/// Every head's pattern-based scores on one token sequence: TransformerLens `detect_head`
/// previous-token, duplicate-token and induction scores, and the mean attention entropy.
/// One forward pass serves all heads. Arrays are indexed layer·heads + head.
///
/// The forward pass uses the raw weights; attention patterns do not depend on weight processing,
/// so the scores are those TransformerLens 4 gives in compatibility mode (`detect_head` on the same
/// token ids; note that `detect_head(model, "text")` tokenizes with a BOS token first).
public struct HeadPatternScores: Sendable {
    public let layers: Int
    public let heads: Int
    public let tokens: [Int]
    public let options: HeadDetectionOptions
    public let previousToken: [Double]
    public let duplicateToken: [Double]
    public let induction: [Double]
    /// Mean attention entropy over query positions, in nats.
    public let entropy: [Double]

    /// Runs the model once on `tokens`, keeping only the attention patterns, and scores every head.
    public static func compute(_ transformer: Transformer, tokens: [Int],
                               options: HeadDetectionOptions = HeadDetectionOptions()) throws -> HeadPatternScores {
        let patterns = try attentionPatterns(transformer, tokens: tokens)
        return HeadPatternScores(patterns: patterns, tokens: tokens, options: options)
    }

    /// Scores from cached patterns, one [head, query, key] tensor per layer.
    public init(patterns: [Tensor], tokens: [Int], options: HeadDetectionOptions = HeadDetectionOptions()) {
        let n = tokens.count
        let keys = HeadDetectionKind.allCases.map { $0.keys(for: tokens) }
        var prev: [Double] = [], dup: [Double] = [], ind: [Double] = [], ent: [Double] = []
        for pattern in patterns {
            precondition(pattern.rank == 3 && pattern.shape[1] == n && pattern.shape[2] == n,
                         "pattern \(pattern.shape) does not fit \(n) tokens")
            for h in 0..<pattern.shape[0] {
                let p = UnsafePointer(pattern.pointer + h * n * n)
                prev.append(HeadDetection.score(pattern: p, length: n, keys: keys[0], options: options))
                dup.append(HeadDetection.score(pattern: p, length: n, keys: keys[1], options: options))
                ind.append(HeadDetection.score(pattern: p, length: n, keys: keys[2], options: options))
                ent.append(HeadDetection.meanEntropy(pattern: p, length: n))
            }
        }
        layers = patterns.count
        heads = patterns.first?.shape[0] ?? 0
        self.tokens = tokens
        self.options = options
        previousToken = prev
        duplicateToken = dup
        induction = ind
        entropy = ent
    }

    /// The attention patterns [head, query, key] of every layer from one forward pass without logits.
    static func attentionPatterns(_ transformer: Transformer, tokens: [Int]) throws -> [Tensor] {
        let layers = transformer.config.nLayers
        let hooks = Set((0..<layers).map { HookPoint.pattern($0) })
        let run = try transformer.run(tokens, caching: .only(hooks), computeLogits: false)
        return try (0..<layers).map { l in
            guard let p = run.cache[.pattern(l)] else { throw HeadAnalysisError.patternMissing(layer: l) }
            return p
        }
    }
}

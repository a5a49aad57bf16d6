import MechModels

/// Every head's scores on a repeated random sequence: TransformerLens demos' induction score
/// (attention from second-half position i to i − n + 1) and the `detect_head` scores on those
/// tokens. One forward pass.
public struct RepeatedSequenceScores: Sendable {
    public let sequence: RepeatedTokenSequence
    /// Demo induction score per head (index layer·heads + head).
    public let induction: [Double]
    /// `detect_head`-style scores and entropy on the sequence.
    public let patternScores: HeadPatternScores

    public static func compute(_ transformer: Transformer, sequence: RepeatedTokenSequence,
                               options: HeadDetectionOptions = HeadDetectionOptions()) throws -> RepeatedSequenceScores {
        let patterns = try HeadPatternScores.attentionPatterns(transformer, tokens: sequence.tokens)
        let length = sequence.tokens.count
        var induction: [Double] = []
        for pattern in patterns {
            for h in 0..<pattern.shape[0] {
                induction.append(sequence.inductionScore(pattern: pattern.pointer + h * length * length))
            }
        }
        return RepeatedSequenceScores(sequence: sequence, induction: induction,
                                      patternScores: HeadPatternScores(patterns: patterns, tokens: sequence.tokens, options: options))
    }
}

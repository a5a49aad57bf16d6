import MechModels

/// One head's row of the head atlas.
public struct HeadScoreRow: Equatable, Sendable {
    public let layer: Int
    public let head: Int
    /// `detect_head` scores on the prompt.
    public let previousToken: Double
    public let duplicateToken: Double
    public let induction: Double
    /// The demo induction score on the repeated random sequence (NaN when the context cannot hold one).
    public let repeatedInduction: Double
    /// Mean attention entropy on the prompt, in nats.
    public let entropy: Double
    /// Full-OV-circuit copying score Σλ / Σ|λ|.
    public let ovCopying: Double

    /// "L1H3", TransformerLens's head label.
    public var label: String { "L\(layer)H\(head)" }
}

/// The head atlas: every head's pattern scores on a prompt and on a repeated random sequence,
/// plus its OV copying score. Two forward passes and one weight computation; each part is also
/// available on its own for callers that want them lazily.
public struct HeadScoreTable: Sendable {
    /// Orders for the table, each largest first.
    public enum SortKey: String, CaseIterable, Sendable {
        case induction, repeated, prev, dup, copying, entropy
    }

    public let prompt: HeadPatternScores
    /// Absent when the model's context is too short for a repeated sequence.
    public let repeated: RepeatedSequenceScores?
    public let copying: OVCopyingScores
    public let rows: [HeadScoreRow]

    public init(prompt: HeadPatternScores, repeated: RepeatedSequenceScores?, copying: OVCopyingScores) {
        self.prompt = prompt
        self.repeated = repeated
        self.copying = copying
        let copyingScores = copying.scores
        rows = (0..<(prompt.layers * prompt.heads)).map { i in
            HeadScoreRow(layer: i / prompt.heads, head: i % prompt.heads,
                         previousToken: prompt.previousToken[i], duplicateToken: prompt.duplicateToken[i],
                         induction: prompt.induction[i], repeatedInduction: repeated?.induction[i] ?? .nan,
                         entropy: prompt.entropy[i], ovCopying: copyingScores[i])
        }
    }

    /// Computes all parts: the prompt's forward pass, the repeated sequence's, and the OV spectra.
    public static func compute(_ transformer: Transformer, weights: ProcessedWeights, promptTokens: [Int],
                               sequence: RepeatedTokenSequence,
                               options: HeadDetectionOptions = HeadDetectionOptions()) throws -> HeadScoreTable {
        HeadScoreTable(prompt: try HeadPatternScores.compute(transformer, tokens: promptTokens, options: options),
                       repeated: try RepeatedSequenceScores.compute(transformer, sequence: sequence, options: options),
                       copying: try OVCopyingScores.compute(weights))
    }

    /// The rows ordered by `key`, largest first (NaN last, then by layer and head).
    public func sorted(by key: SortKey) -> [HeadScoreRow] {
        func value(_ r: HeadScoreRow) -> Double {
            switch key {
            case .induction: return r.induction
            case .repeated: return r.repeatedInduction
            case .prev: return r.previousToken
            case .dup: return r.duplicateToken
            case .copying: return r.ovCopying
            case .entropy: return r.entropy
            }
        }
        return rows.sorted { a, b in
            let x = value(a), y = value(b)
            if x.isNaN != y.isNaN { return y.isNaN }
            if x != y && !x.isNaN { return x > y }
            return (a.layer, a.head) < (b.layer, b.head)
        }
    }
}

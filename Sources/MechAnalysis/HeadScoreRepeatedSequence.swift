import MechModels

/// A repeated random token sequence for measuring induction without a prompt: n tokens drawn
/// uniformly (with replacement) from the vocabulary minus special tokens, then the same n tokens
/// again, 2n in all and no BOS token. A head that attends from second-half position i to
/// i − n + 1 (the token after the previous copy of the current one) is doing induction.
///
/// Generation is reproducible from the seed and documented so other tools can rebuild it:
/// SplitMix64 (state += 0x9E3779B97F4A7C15, then the xor-shift-multiply finaliser) seeded with
/// `seed`; each draw takes the next 64-bit output x, rejects x ≥ ⌊(2⁶⁴ − 1)/m⌋·m, and picks
/// `allowed[x mod m]`, where `allowed` is the ascending list of the m ordinary token ids.
public struct RepeatedTokenSequence: Equatable, Sendable {
    public static let defaultSeed: UInt64 = 0
    public let seed: UInt64
    /// n, the length of each half.
    public let halfLength: Int
    /// The 2n token ids.
    public let tokens: [Int]

    /// n = min(50, ⌊context / 2⌋): fits the context, and 50 is TransformerLens demos' length.
    public static func defaultHalfLength(context: Int) -> Int { min(50, context / 2) }

    /// Draws n tokens from 0..<vocabularySize without the ids in `excluding` and repeats them.
    public init(vocabularySize: Int, excluding: Set<Int>, halfLength n: Int, seed: UInt64 = defaultSeed) throws {
        guard n >= 2 else { throw HeadAnalysisError.contextTooShortForRepeatedSequence(context: 2 * n) }
        let allowed = (0..<vocabularySize).filter { !excluding.contains($0) }
        guard !allowed.isEmpty else { throw HeadAnalysisError.noOrdinaryTokens(vocabularySize: vocabularySize) }
        var generator = SplitMix64(seed: seed)
        let m = UInt64(allowed.count)
        let bound = (UInt64.max / m) * m
        var half: [Int] = []
        for _ in 0..<n {
            var x = generator.next()
            while x >= bound { x = generator.next() }
            half.append(allowed[Int(x % m)])
        }
        self.seed = seed
        halfLength = n
        tokens = half + half
    }

    /// The default sequence for a model: its vocabulary minus `specialTokenIDs(of:)`, n from its context.
    public init(for model: LoadedModel, seed: UInt64 = defaultSeed) throws {
        let n = Self.defaultHalfLength(context: model.config.nContext)
        guard n >= 2 else { throw HeadAnalysisError.contextTooShortForRepeatedSequence(context: model.config.nContext) }
        try self.init(vocabularySize: model.config.vocabSize, excluding: Self.specialTokenIDs(of: model),
                      halfLength: n, seed: seed)
    }

    /// The tokenizer's special added tokens plus the config's BOS and EOS ids.
    public static func specialTokenIDs(of model: LoadedModel) -> Set<Int> {
        var ids = Set<Int>()
        if let tokenizer = model.tokenizer {
            for token in tokenizer.addedTokens where token.isSpecial { ids.insert(token.id) }
        }
        for id in [model.config.bosTokenID, model.config.eosTokenID, model.bosTokenID].compactMap({ $0 }) { ids.insert(id) }
        return ids
    }

    /// TransformerLens demos' induction score for one head's pattern [2n, 2n]: the mean over
    /// second-half queries i = n..<2n of the attention to key i − n + 1.
    public func inductionScore(pattern: UnsafePointer<Float>) -> Double {
        let n = halfLength, length = 2 * n
        var total = 0.0
        for i in n..<length { total += Double(pattern[i * length + i - n + 1]) }
        return total / Double(n)
    }
}

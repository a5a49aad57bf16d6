/// A token with what one readout gives it: its probability, logit and log-probability.
public struct TokenReading: Sendable, Equatable {
    public let tokenID: Int
    public let probability: Float
    public let logProbability: Float
    /// The processed model's logit (TransformerLens compatibility mode: the raw logit minus the
    /// mean over the vocabulary, from `center_unembed`).
    public let logit: Float
    /// How many tokens score strictly higher (0 = the top token), as TransformerLens's `target_ranks`.
    public let rank: Int
}

/// What the lens reads off one residual-stream state at one position.
public struct LogitLensReading: Sendable, Equatable {
    /// The `topK` most likely tokens, most likely first.
    public let top: [TokenReading]
    /// The requested target tokens, in the order asked for.
    public let targets: [TokenReading]
    /// Entropy of the distribution, in nats.
    public let entropy: Float
}

/// The logit lens over the layers of a prompt at chosen positions.
public struct LogitLensResult: Sendable {
    /// The stack entries read: `0_pre`, …, `final_post` (and `L_mid` when asked).
    public let entries: [ResidualComponent]
    /// The absolute positions read.
    public let positions: [Int]
    /// readings[entry][position index].
    public let readings: [[LogitLensReading]]

    /// The reading of entry `entry` at the `positionIndex`-th position.
    public func reading(entry: Int, positionIndex: Int) -> LogitLensReading { readings[entry][positionIndex] }

    /// A target's rank across the entries at one position (its trajectory through the layers).
    public func targetRanks(targetIndex: Int = 0, positionIndex: Int = 0) -> [Int] {
        readings.map { $0[positionIndex].targets[targetIndex].rank }
    }
}

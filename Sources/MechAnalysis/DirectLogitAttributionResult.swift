import MechTensor

/// The unembedding direction whose logit is attributed: W_U'[:, answer], or
/// W_U'[:, answer] − W_U'[:, wrong] for a logit difference (TransformerLens's
/// `tokens_to_residual_directions`, processed weights).
public struct LogitDirection: @unchecked Sendable {
    public let answer: Int
    public let wrong: Int?
    /// [d_model]
    public let vector: Tensor
    /// The unembedding bias's share, b_U'[answer] (− b_U'[wrong]): no component writes it, so
    /// attributions add up to the processed logit (difference) minus this.
    public let bias: Float
}

/// Direct logit attributions: entry × position, aligned with `components` and `positions`.
public struct DirectLogitAttributionResult: @unchecked Sendable {
    public let components: [ResidualComponent]
    public let positions: [Int]
    /// [component, position index]
    public let values: Tensor
    public let direction: LogitDirection

    public var labels: [String] { components.map(\.label) }

    /// The attribution of entry `component` at the `positionIndex`-th position.
    public func value(_ component: Int, positionIndex: Int = 0) -> Float {
        values.pointer[component * positions.count + positionIndex]
    }

    /// All entries' attributions at one position, in `components` order.
    public func column(positionIndex: Int = 0) -> [Float] {
        (0..<components.count).map { value($0, positionIndex: positionIndex) }
    }

    /// The sum over entries at one position (for a complete decomposition: the logit (difference)
    /// the residual stream produces, i.e. without the unembedding bias).
    public func total(positionIndex: Int = 0) -> Float {
        column(positionIndex: positionIndex).reduce(0, +)
    }

    /// How `ranked` orders entries.
    public enum Order: Sendable {
        /// Most positive first.
        case largest
        /// Most negative first.
        case smallest
        /// Largest absolute value first.
        case magnitude
    }

    /// The `count` entries that matter most at one position, as (index into `components`, value).
    public func ranked(positionIndex: Int = 0, count: Int, order: Order = .magnitude) -> [(index: Int, value: Float)] {
        let column = column(positionIndex: positionIndex)
        let key: (Float) -> Float
        switch order {
        case .largest: key = { $0 }
        case .smallest: key = { -$0 }
        case .magnitude: key = { abs($0) }
        }
        let keys = column.map(key)
        let top = keys.withUnsafeBufferPointer {
            TopK.indices($0.baseAddress!, count: keys.count, k: count)
        }
        return top.map { (index: $0, value: column[$0]) }
    }
}

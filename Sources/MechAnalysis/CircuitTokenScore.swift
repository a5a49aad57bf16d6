import MechTensor

/// A token with the value a circuit gives it (a logit effect, an attention score), for top-k lists.
public struct CircuitTokenScore: Equatable, Sendable {
    public let token: Int
    public let score: Float

    public init(token: Int, score: Float) {
        self.token = token
        self.score = score
    }

    /// The k largest entries of `values`, largest first (ties by lower id).
    static func largest(of values: [Float], k: Int) -> [CircuitTokenScore] {
        TopK.indices(of: values, k: k).map { CircuitTokenScore(token: $0, score: values[$0]) }
    }

    /// The k smallest entries of `values`, smallest first (ties by lower id).
    static func smallest(of values: [Float], k: Int) -> [CircuitTokenScore] {
        TopK.indices(of: values.map { -$0 }, k: k).map { CircuitTokenScore(token: $0, score: values[$0]) }
    }
}

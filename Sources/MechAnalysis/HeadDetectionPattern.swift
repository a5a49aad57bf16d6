/// The attention patterns TransformerLens's `detect_head` looks for, as named there
/// (`previous_token_head`, `duplicate_token_head`, `induction_head`).
public enum HeadDetectionKind: String, CaseIterable, Sendable {
    case previousToken = "previous_token_head"
    case duplicateToken = "duplicate_token_head"
    case induction = "induction_head"

    /// For each query position, the key positions the detection pattern marks with 1
    /// (TransformerLens's `get_<kind>_detection_pattern`, lower-triangular):
    /// - previous token: key q − 1;
    /// - duplicate token: every earlier key k < q holding the same token as q;
    /// - induction: every key k with 1 ≤ k ≤ q whose previous token (k − 1) equals q's token,
    ///   i.e. the token after an earlier copy of the current one.
    public func keys(for tokens: [Int]) -> [[Int]] {
        let n = tokens.count
        var positions: [Int: [Int]] = [:]          // token → positions, ascending
        for (i, t) in tokens.enumerated() { positions[t, default: []].append(i) }
        return (0..<n).map { q in
            switch self {
            case .previousToken:
                return q > 0 ? [q - 1] : []
            case .duplicateToken:
                return positions[tokens[q]]!.filter { $0 < q }
            case .induction:
                return positions[tokens[q]]!.filter { $0 < q }.map { $0 + 1 }
            }
        }
    }
}

import MechTensor

/// The loss an ablation is judged by besides the logit difference.
public enum AblationLoss {
    /// Mean next-token cross-entropy, TransformerLens's `return_type="loss"`: −log p(token[i+1])
    /// from the logits at position i, averaged over positions 0..<T−1 (log-softmax in Double).
    /// Nil for a one-token prompt, which predicts no token of its own.
    public static func meanNextTokenLoss(logits: Tensor, tokens: [Int]) -> Float? {
        guard tokens.count >= 2, logits.shape.first == tokens.count else { return nil }
        var total = 0.0
        for i in 0..<(tokens.count - 1) {
            total -= Double(Softmax.logProbabilities(logits.row(i))[tokens[i + 1]])
        }
        return Float(total / Double(tokens.count - 1))
    }
}

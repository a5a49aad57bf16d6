import MechModels
import MechTensor

/// The logit difference logit[answer] − logit[wrong] at the last position: the metric of
/// TransformerLens's IOI and activation-patching demos. It cancels any constant added to a row of
/// logits, so raw logits and TransformerLens's centred-unembedding logits give the same value.
public struct LogitDiffMetric: Sendable, Equatable {
    public let answer: Int
    public let wrong: Int

    public init(answer: Int, wrong: Int) {
        self.answer = answer
        self.wrong = wrong
    }

    /// The difference on the last row of `logits` ([pos, vocab], or one row [vocab]).
    public func value(_ logits: Tensor) -> Float {
        let vocab = logits.shape.last ?? 0
        let last = logits.pointer + (logits.count - vocab)
        return last[answer] - last[wrong]
    }

    /// The difference at the last row of `finalResidual` (the final LayerNorm's output, the
    /// unembedding's input) from the two unembedding rows it needs: a patching sweep's runs skip
    /// the [d_model, vocab] product, which dominates small runs of large-vocabulary models.
    public func value(finalResidual: Tensor, weights: TransformerWeights) -> Float {
        let d = finalResidual.shape.last ?? 0
        let x = finalResidual.pointer + (finalResidual.count - d)
        func logit(_ token: Int) -> Float {
            let row = weights.unembedding.pointer + token * d
            var sum: Float = 0
            for i in 0..<d { sum += x[i] * row[i] }
            return sum + (weights.unembeddingBias?.pointer[token] ?? 0)
        }
        return logit(answer) - logit(wrong)
    }

    /// The first of answer and wrong that is not a token id of a `vocabSize` vocabulary, with its role.
    public func outOfRange(vocabSize: Int) -> (role: String, token: Int)? {
        if answer < 0 || answer >= vocabSize { return ("answer", answer) }
        if wrong < 0 || wrong >= vocabSize { return ("wrong", wrong) }
        return nil
    }

    /// TransformerLens's normalised patching metric, (patched − corrupted) / (clean − corrupted):
    /// 0 where a patch leaves the corrupted run's difference, 1 where it restores the clean one.
    public static func normalized(_ patched: Float, clean: Float, corrupted: Float) -> Float {
        (patched - corrupted) / (clean - corrupted)
    }
}

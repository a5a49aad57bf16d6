import Foundation
import MechTensor

/// One row of logits over the whole vocabulary turned into what the lens shows: the normaliser
/// (log-sum-exp), entropy, top-k and any token's probability and rank, without materialising the
/// probability vector. exp runs vectorised in float32 (≈1e-7 relative error); sums are accumulated
/// in Double so vocabularies of 50k tokens lose nothing.
struct LogitLensVocabularyReadout {
    let logits: UnsafePointer<Float>
    let count: Int
    let maximum: Float
    /// log Σ exp(logit − maximum)
    let logSumExp: Double
    let entropy: Double

    init(logits: UnsafePointer<Float>, count: Int) {
        self.logits = logits
        self.count = count
        let m = Reduce.max(logits, count: count)
        maximum = m
        typealias Vec = VectorMath.Vec
        let w = VectorMath.width
        var total = 0.0, weighted = 0.0       // Σ e_i and Σ e_i·(x_i − m)
        var i = 0
        let raw = UnsafeRawPointer(logits)
        while i + w <= count {
            let shifted = raw.loadUnaligned(fromByteOffset: i * 4, as: Vec.self) - m
            let e = VectorMath.exp(shifted)
            total += Double(e.sum())
            weighted += Double((e * shifted).sum())
            i += w
        }
        while i < count {
            let shifted = Double(logits[i] - m)
            let e = Foundation.exp(shifted)
            total += e
            weighted += e * shifted
            i += 1
        }
        logSumExp = Foundation.log(total)
        // H = −Σ p log p = log S − Σ e_i (x_i − m) / S
        entropy = logSumExp - weighted / total
    }

    /// Probability, log-probability, logit and rank of one token.
    func reading(_ token: Int) -> TokenReading {
        let x = logits[token]
        let logProb = Double(x - maximum) - logSumExp
        var higher = 0
        for i in 0..<count where TopK.ranksAbove(logits[i], x) { higher += 1 }
        return TokenReading(tokenID: token, probability: Float(Foundation.exp(logProb)),
                            logProbability: Float(logProb), logit: x, rank: higher)
    }

    /// The k highest-scoring tokens, highest first (NaN last, ties by lower id). A token's rank is
    /// its place in the list, or the place of the first token it ties with (no token outside scores
    /// higher; NaN ties with NaN).
    func top(_ k: Int) -> [TokenReading] {
        let ids = TopK.indices(logits, count: count, k: k)
        return ids.map { id in
            let logProb = Double(logits[id] - maximum) - logSumExp
            let rank = ids.firstIndex { !TopK.ranksAbove(logits[$0], logits[id]) } ?? 0
            return TokenReading(tokenID: id, probability: Float(Foundation.exp(logProb)),
                                logProbability: Float(logProb), logit: logits[id], rank: rank)
        }
    }
}

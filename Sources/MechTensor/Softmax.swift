import Foundation

/// Probabilities from logits over a whole vocabulary (numerically stable, accumulated in Double).
public enum Softmax {
    public static func probabilities(_ logits: Tensor) -> [Float] {
        let n = logits.count
        let p = logits.pointer
        let m = Reduce.max(p, count: n)
        var total = 0.0
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n { let e = Foundation.exp(Double(p[i] - m)); out[i] = Float(e); total += e }
        let inv = Float(1 / total)
        for i in 0..<n { out[i] *= inv }
        return out
    }

    /// log-softmax of one row, in Double for accuracy over large vocabularies.
    public static func logProbabilities(_ logits: Tensor) -> [Float] {
        let n = logits.count
        let p = logits.pointer
        let m = Reduce.max(p, count: n)
        var total = 0.0
        for i in 0..<n { total += Foundation.exp(Double(p[i] - m)) }
        let logZ = Double(m) + Foundation.log(total)
        return (0..<n).map { Float(Double(p[$0]) - logZ) }
    }
}

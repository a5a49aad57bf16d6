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

/// The indices of the k largest values, largest first (ties by lower index).
public enum TopK {
    public static func indices(of values: [Float], k: Int) -> [Int] {
        guard k > 0 else { return [] }
        if k >= values.count {
            return values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        }
        // Keep a small sorted buffer; vocabularies are large and k small.
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        for i in values.indices {
            let v = values[i]
            if best.count == k, let last = best.last, !(v > values[last]) { continue }
            var pos = best.count
            while pos > 0 && v > values[best[pos - 1]] { pos -= 1 }
            best.insert(i, at: pos)
            if best.count > k { best.removeLast() }
        }
        return best
    }

    public static func indices(of tensor: Tensor, k: Int) -> [Int] { indices(of: tensor.scalars, k: k) }
}

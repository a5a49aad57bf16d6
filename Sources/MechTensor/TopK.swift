/// The one ranking every command uses (run's and lens's top-k, DLA, neuron and circuit lists):
/// largest first, NaN lowest — a NaN never ranks above a finite value, however it compares — and
/// ties by lower index.
public enum TopK {
    /// Whether `a` ranks strictly above `b`: any number above NaN, otherwise the larger.
    @inlinable
    public static func ranksAbove(_ a: Float, _ b: Float) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return a > b
    }

    /// Double version of `ranksAbove` for rankings kept in Double.
    @inlinable
    public static func ranksAbove(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return a > b
    }

    /// Indices of the k highest-ranked of `count` floats, highest first (NaN last, ties by lower
    /// index). A small sorted buffer: vocabularies are large and k small.
    public static func indices(_ values: UnsafePointer<Float>, count: Int, k: Int) -> [Int] {
        let k = min(k, count)
        guard k > 0 else { return [] }
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        for i in 0..<count {
            let v = values[i]
            if best.count == k, !ranksAbove(v, values[best[k - 1]]) { continue }
            var pos = best.count
            while pos > 0 && ranksAbove(v, values[best[pos - 1]]) { pos -= 1 }
            best.insert(i, at: pos)
            if best.count > k { best.removeLast() }
        }
        return best
    }

    public static func indices(of values: [Float], k: Int) -> [Int] {
        values.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return [] }
            return indices(base, count: buffer.count, k: k)
        }
    }

    public static func indices(of tensor: Tensor, k: Int) -> [Int] {
        withExtendedLifetime(tensor) { indices(tensor.pointer, count: tensor.count, k: k) }
    }

    /// Every index of `values` in rank order (NaN last, ties by lower index).
    public static func ranking(of values: [Float]) -> [Int] {
        values.indices.sorted { ranksAbove(values[$0], values[$1]) || (!ranksAbove(values[$1], values[$0]) && $0 < $1) }
    }

    public static func ranking(of values: [Double]) -> [Int] {
        values.indices.sorted { ranksAbove(values[$0], values[$1]) || (!ranksAbove(values[$1], values[$0]) && $0 < $1) }
    }
}

/// Row gather: the embedding lookup of token ids (or positions) in a [rows, d] table.
public extension Tensor {
    /// Rows `indices` of a 2-D table, as a new [indices.count, d] tensor.
    func gatherRows(_ indices: [Int]) -> Tensor {
        precondition(rank == 2, "gatherRows needs a 2-D table, got \(shape)")
        let d = shape[1]
        let out = Tensor(uninitialized: [indices.count, d])
        for (r, i) in indices.enumerated() {
            precondition(i >= 0 && i < shape[0], "row \(i) outside table of \(shape[0])")
            (out.pointer + r * d).update(from: pointer + i * d, count: d)
        }
        return out
    }
}

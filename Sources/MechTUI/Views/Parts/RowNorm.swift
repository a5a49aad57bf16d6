import MechTensor

/// The Euclidean norm of one position's row of a cached [pos, d] activation.
enum RowNorm {
    static func of(_ tensor: Tensor?, row: Int) -> Float? {
        guard let tensor, tensor.rank == 2, row < tensor.shape[0] else { return nil }
        let d = tensor.shape[1], base = tensor.pointer + row * d
        var sum: Double = 0
        for i in 0..<d { sum += Double(base[i]) * Double(base[i]) }
        return Float(sum.squareRoot())
    }
}

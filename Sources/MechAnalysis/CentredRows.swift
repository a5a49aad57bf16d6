import MechTensor

/// A raw [rows, columns] matrix read as TransformerLens's `center_writing_weights` leaves it, every
/// row centred over its columns (d_model), without a centred copy:
///     W' = W − μ·1ᵀ,   μ_r = mean of raw row r            (μ = 0 when the model has no LayerNorm)
/// so products follow from the raw matrix and the [rows] means alone:
///     W'·u   = W·u − μ·(Σ_j u_j)                 [rows]
///     W'·X   = W·X − μ ⊗ (1ᵀX)                   [rows, k]  for X [columns, k]
///     x·W'   = x·W − (x·μ)·1ᵀ = centre(x·W)      [columns]  (the write is centred over d_model)
/// Used for W_E', W_pos', W_O' and W_out', which views read a row or a product of at a time.
public struct CentredRows: @unchecked Sendable {
    /// [rows, columns], typically a memory-mapped checkpoint tensor.
    public let raw: Tensor
    /// [rows]: each raw row's mean, or nil when rows are used as they are.
    public let rowMeans: Tensor?

    /// Computes the row means when `centred`.
    public init(_ raw: Tensor, centred: Bool) {
        precondition(raw.rank == 2, "CentredRows needs a matrix, got \(raw.shape)")
        self.init(raw, rowMeans: centred ? Self.rowMeans(of: raw) : nil)
    }

    /// With row means computed earlier (from the same raw values).
    init(_ raw: Tensor, rowMeans: Tensor?) {
        precondition(raw.rank == 2 && (rowMeans == nil || rowMeans!.count == raw.shape[0]))
        self.raw = raw
        self.rowMeans = rowMeans
    }

    /// Each row's mean over the columns [rows].
    static func rowMeans(of raw: Tensor) -> Tensor {
        let n = raw.shape[0], d = raw.shape[1]
        let means = Tensor(uninitialized: [n])
        for r in 0..<n { means.pointer[r] = Reduce.sum(raw.pointer + r * d, count: d) / Float(d) }
        return means
    }

    public var rowCount: Int { raw.shape[0] }
    public var columnCount: Int { raw.shape[1] }
    public var isCentred: Bool { rowMeans != nil }

    /// Rows `range` as a view (no copy).
    public func slice(_ range: Range<Int>) -> CentredRows {
        CentredRows(raw.rows(range), rowMeans: rowMeans?.rows(range))
    }

    /// Rows `range` of W' as an owned [n, columns] tensor.
    public func rows(_ range: Range<Int>) -> Tensor {
        let d = columnCount
        let out = raw.rows(range).copy()
        if let rowMeans {
            for (i, r) in range.enumerated() {
                let row = out.pointer + i * d, mean = rowMeans.pointer[r]
                for j in 0..<d { row[j] -= mean }
            }
        }
        return out
    }

    /// Row r of W' [columns].
    public func row(_ r: Int) -> Tensor { rows(r..<(r + 1)).reshaped([columnCount]) }

    /// W'·u [rows] for u [columns].
    public func times(_ u: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let n = rowCount, d = columnCount
        BLAS.gemv(rows: n, cols: d, a: raw.pointer, lda: d, x: u, y: y)
        guard let rowMeans else { return }
        let total = Reduce.sum(u, count: d)
        for r in 0..<n { y[r] -= rowMeans.pointer[r] * total }
    }

    /// W'·X [rows, k] for X [columns, k].
    public func times(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[0] == columnCount, "\([rowCount, columnCount])·\(x.shape)")
        let n = rowCount, d = columnCount, k = x.shape[1]
        let out = Tensor(uninitialized: [n, k])
        BLAS.gemm(m: n, n: k, k: d, a: raw.pointer, lda: d, b: x.pointer, ldb: k, c: out.pointer, ldc: k)
        guard let rowMeans else { return out }
        var columnSums = [Float](repeating: 0, count: k)              // 1ᵀX
        for i in 0..<d { for j in 0..<k { columnSums[j] += x.pointer[i * k + j] } }
        for r in 0..<n {
            let row = out.pointer + r * k, mean = rowMeans.pointer[r]
            for j in 0..<k { row[j] -= mean * columnSums[j] }
        }
        return out
    }

    /// out = X·W' [m, columns] for X [m, rows] with row stride `ldx`: the raw product, each row then
    /// centred (x·μ is the mean of x·W over the columns).
    public func premultiply(_ x: UnsafePointer<Float>, rows m: Int, ldx: Int, into out: UnsafeMutablePointer<Float>) {
        let d = columnCount
        BLAS.gemm(m: m, n: d, k: rowCount, a: x, lda: ldx, b: raw.pointer, ldb: d, c: out, ldc: d)
        if isCentred { WeightFolding.centerRows(out, rows: m, columns: d, stride: d) }
    }
}

import MechTensor

/// A matrix M = A·B kept as its two factors (A [ldim, mdim], B [mdim, rdim]), as TransformerLens's
/// `FactoredMatrix`: QK (W_Q·W_Kᵀ) and OV (W_V·W_O) circuits are low-rank products of
/// d_model- or vocabulary-sized matrices, and their norms, eigenvalues and singular values follow
/// from the small mdim-sized pieces without ever forming the (possibly d_vocab × d_vocab) product.
///
/// Products keep the factored form and choose which side to multiply out exactly as
/// TransformerLens does, so chained products round like theirs.
public struct FactoredMatrix: @unchecked Sendable, CustomStringConvertible {
    public let a: Tensor
    public let b: Tensor

    /// M = a·b. Shapes come from model weights, so a mismatch is a programming error.
    public init(_ a: Tensor, _ b: Tensor) {
        precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0],
                     "FactoredMatrix factors must be [l, m]·[m, r], got \(a.shape)·\(b.shape)")
        self.a = a
        self.b = b
    }

    /// Rows of M (TransformerLens `ldim`).
    public var rowCount: Int { a.shape[0] }
    /// The inner (hidden) dimension of the factorisation (`mdim`), an upper bound on M's rank.
    public var innerDimension: Int { a.shape[1] }
    /// Columns of M (`rdim`).
    public var columnCount: Int { b.shape[1] }
    public var shape: [Int] { [rowCount, columnCount] }

    public var description: String { "FactoredMatrix [\(rowCount), \(columnCount)], inner \(innerDimension)" }

    // MARK: - Products

    /// A·B, the full matrix (may be large: only for small factors or checks).
    public func product() -> Tensor { a.matmul(b) }

    /// B·A [mdim, mdim] (needs ldim == rdim): shares M's nonzero eigenvalues.
    public func reversedProduct() -> Tensor {
        precondition(rowCount == columnCount, "B·A needs a square FactoredMatrix, got \(shape)")
        return b.matmul(a)
    }

    /// Mᵀ = Bᵀ·Aᵀ (TransformerLens `.T`).
    public var transposed: FactoredMatrix { FactoredMatrix(b.transposedCopy(), a.transposedCopy()) }

    /// M·s (the scalar goes on A, as TransformerLens).
    public func scaled(by s: Float) -> FactoredMatrix {
        let scaledA = a.copy()
        scaledA.scale(by: s)
        return FactoredMatrix(scaledA, b)
    }

    /// M·X for a matrix X [rdim, n]: multiplies X into B when that keeps the inner dimension
    /// (rdim > mdim), else into the product, as TransformerLens `__matmul__`.
    public func multiplied(by x: Tensor) -> FactoredMatrix {
        precondition(x.rank == 2 && x.shape[0] == columnCount, "\(shape)·\(x.shape): inner dimensions differ")
        return columnCount > innerDimension ? FactoredMatrix(a, b.matmul(x)) : FactoredMatrix(product(), x)
    }

    /// M·N for another factored matrix: (M·N.A)·N.B.
    public func multiplied(by other: FactoredMatrix) -> FactoredMatrix {
        multiplied(by: other.a).multiplied(by: other.b)
    }

    /// X·M for a matrix X [n, ldim], as TransformerLens `__rmatmul__`.
    public func premultiplied(by x: Tensor) -> FactoredMatrix {
        precondition(x.rank == 2 && x.shape[1] == rowCount, "\(x.shape)·\(shape): inner dimensions differ")
        return rowCount > innerDimension ? FactoredMatrix(x.matmul(a), b) : FactoredMatrix(x, product())
    }

    /// M·v for a vector v [rdim]: A·(B·v).
    public func apply(to v: [Float]) -> [Float] {
        precondition(v.count == columnCount, "vector of \(v.count) for \(shape)")
        var inner = [Float](repeating: 0, count: innerDimension), out = [Float](repeating: 0, count: rowCount)
        BLAS.gemv(rows: innerDimension, cols: columnCount, a: b.pointer, lda: columnCount, x: v, y: &inner)
        BLAS.gemv(rows: rowCount, cols: innerDimension, a: a.pointer, lda: innerDimension, x: inner, y: &out)
        return out
    }

    /// vᵀ·M for a vector v [ldim]: (vᵀ·A)·B.
    public func applyTransposed(to v: [Float]) -> [Float] {
        precondition(v.count == rowCount, "vector of \(v.count) for \(shape)")
        var inner = [Float](repeating: 0, count: innerDimension), out = [Float](repeating: 0, count: columnCount)
        BLAS.gemv(transposeA: true, rows: rowCount, cols: innerDimension, a: a.pointer, lda: innerDimension, x: v, y: &inner)
        BLAS.gemv(transposeA: true, rows: innerDimension, cols: columnCount, a: b.pointer, lda: columnCount, x: inner, y: &out)
        return out
    }

    // MARK: - Norm and spectrum

    /// ‖A·B‖_F from the two [mdim, mdim] Gram matrices: ‖AB‖² = tr(AᵀA · BBᵀ). Equal to
    /// TransformerLens's `norm()` (√Σσ²) without any SVD.
    public func frobeniusNorm() -> Double {
        Self.traceOfProduct(a.gramOfColumns(), b.gramOfRows()).squareRoot()
    }

    /// The eigenvalues of M (needs ldim == rdim) as those of B·A [mdim, mdim]: if B·A·v = λv then
    /// A·B·(Av) = λ(Av), so these are M's eigenvalues apart from its extra zeros
    /// (TransformerLens `eigenvalues`). Solved in double precision (`dgeev_`), LAPACK's order.
    public func eigenvalues() throws -> [Eigenvalue] {
        let ba = reversedProduct()
        return try LAPACK.eigenvalues(ofSquare: ba.scalars.map(Double.init), order: innerDimension)
    }

    // MARK: - Helpers shared by norms and composition scores

    /// tr(X·Y) for two symmetric [n, n] matrices = Σ X∘Y, accumulated in double.
    static func traceOfProduct(_ x: Tensor, _ y: Tensor) -> Double {
        var total = 0.0
        let p = x.pointer, q = y.pointer
        for i in 0..<x.count { total += Double(p[i]) * Double(q[i]) }
        return total
    }
}

extension Tensor {
    /// XᵀX [n, n] for this [m, n] matrix.
    func gramOfColumns() -> Tensor {
        let m = shape[0], n = shape[1]
        let g = Tensor(uninitialized: [n, n])
        BLAS.gemm(transposeA: true, m: n, n: n, k: m, a: pointer, lda: n, b: pointer, ldb: n, c: g.pointer, ldc: n)
        return g
    }

    /// XXᵀ [m, m] for this [m, n] matrix.
    func gramOfRows() -> Tensor {
        let m = shape[0], n = shape[1]
        let g = Tensor(uninitialized: [m, m])
        BLAS.gemm(transposeB: true, m: m, n: m, k: n, a: pointer, lda: n, b: pointer, ldb: n, c: g.pointer, ldc: m)
        return g
    }
}

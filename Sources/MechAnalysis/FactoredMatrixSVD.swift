import MechTensor

extension FactoredMatrix {
    /// M = U·diag(S)·Vᵀ with U [ldim, k], S descending [k], V [rdim, k], k ≤ mdim
    /// (TransformerLens's `svd()` returns the same triple, V not transposed).
    public struct SingularValueDecomposition: @unchecked Sendable {
        public let u: Tensor
        public let singularValues: [Float]
        public let v: Tensor
    }

    /// The SVD of A·B from the factors alone, as TransformerLens computes it: A = Ua·Sa·Vaᵀ,
    /// B = Ub·Sb·Vbᵀ, then the small middle Sa·Vaᵀ·Ub·Sb [ka, kb] = Um·Sm·Vmᵀ gives
    /// U = Ua·Um, S = Sm, V = Vb·Vm. Every LAPACK call is on a factor or an mdim-sized matrix.
    public func singularValueDecomposition() throws -> SingularValueDecomposition {
        let left = try LAPACK.singularValueDecomposition(a)    // Ua [l, ka], Vaᵀ [ka, m]
        let right = try LAPACK.singularValueDecomposition(b)   // Ub [m, kb], Vbᵀ [kb, r]
        let ka = left.singularValues.count, kb = right.singularValues.count, m = innerDimension
        // middle = diag(Sa)·Vaᵀ·Ub·diag(Sb)
        let middle = Tensor(uninitialized: [ka, kb])
        BLAS.gemm(m: ka, n: kb, k: m, a: left.vt.pointer, lda: m, b: right.u.pointer, ldb: kb, c: middle.pointer, ldc: kb)
        for i in 0..<ka {
            for j in 0..<kb { middle.pointer[i * kb + j] *= left.singularValues[i] * right.singularValues[j] }
        }
        let inner = try LAPACK.singularValueDecomposition(middle)  // Um [ka, k], Vmᵀ [k, kb]
        let k = inner.singularValues.count
        let u = Tensor(uninitialized: [rowCount, k])
        BLAS.gemm(m: rowCount, n: k, k: ka, a: left.u.pointer, lda: ka, b: inner.u.pointer, ldb: k, c: u.pointer, ldc: k)
        // V = Vb·Vm = (Vbᵀ)ᵀ·(Vmᵀ)ᵀ
        let v = Tensor(uninitialized: [columnCount, k])
        BLAS.gemm(transposeA: true, transposeB: true, m: columnCount, n: k, k: kb,
                  a: right.vt.pointer, lda: columnCount, b: inner.vt.pointer, ldb: kb, c: v.pointer, ldc: k)
        return SingularValueDecomposition(u: u, singularValues: inner.singularValues, v: v)
    }
}

import COpenBLAS
import MechTensor

/// The LAPACK routines the head analyses need (eigenvalues, symmetric eigendecomposition, SVD),
/// wrapped for row-major `Tensor`s. LAPACK is column-major: each wrapper states how it maps the
/// layouts, so callers never see Fortran conventions. Inputs are copied; results are new memory.
public enum LAPACK {
    /// The result of a thin singular value decomposition X = U·diag(S)·Vᵀ of an [m, n] matrix,
    /// with k = min(m, n): U [m, k], S descending, Vt [k, n].
    public struct SingularValueDecomposition: @unchecked Sendable {
        public let u: Tensor
        public let singularValues: [Float]
        public let vt: Tensor
    }

    /// Eigenvalues of a general square matrix [n, n] (row-major, double precision) through `dgeev_`,
    /// in LAPACK's order. A matrix and its transpose share eigenvalues, so the row-major buffer is
    /// passed as it is.
    public static func eigenvalues(ofSquare values: [Double], order n: Int) throws -> [Eigenvalue] {
        precondition(values.count == n * n, "eigenvalues: \(values.count) values for a \(n)×\(n) matrix")
        guard n > 0 else { return [] }
        guard values.allSatisfy(\.isFinite) else { throw LAPACKError.nonFiniteInput(routine: "dgeev", rows: n, columns: n) }
        var a = values
        var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
        var order = Int32(n), lda = Int32(n), one: Int32 = 1, info: Int32 = 0
        var leftVectors = [Double](repeating: 0, count: 1), rightVectors = [Double](repeating: 0, count: 1)
        var jobvl = CChar(UInt8(ascii: "N")), jobvr = CChar(UInt8(ascii: "N"))
        // Workspace query, then the real call.
        var query = [Double](repeating: 0, count: 1), lwork: Int32 = -1
        dgeev_(&jobvl, &jobvr, &order, &a, &lda, &wr, &wi, &leftVectors, &one, &rightVectors, &one, &query, &lwork, &info)
        try check(info, routine: "dgeev", rows: n, columns: n)
        lwork = Int32(max(Double(4 * n), query[0]))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgeev_(&jobvl, &jobvr, &order, &a, &lda, &wr, &wi, &leftVectors, &one, &rightVectors, &one, &work, &lwork, &info)
        try check(info, routine: "dgeev", rows: n, columns: n)
        return (0..<n).map { Eigenvalue(real: wr[$0], imaginary: wi[$0]) }
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric [n, n] matrix through
    /// `ssyevd_`. Row `j` of `vectors` is the eigenvector of `values[j]` (LAPACK's column j).
    public static func symmetricEigen(_ matrix: Tensor) throws -> (values: [Float], vectors: Tensor) {
        precondition(matrix.rank == 2 && matrix.shape[0] == matrix.shape[1], "symmetricEigen needs a square matrix, got \(matrix.shape)")
        let n = matrix.shape[0]
        guard n > 0 else { return ([], Tensor(zeros: [0, 0])) }
        try requireFinite(matrix, routine: "ssyevd")
        let vectors = matrix.copy()
        var w = [Float](repeating: 0, count: n)
        var order = Int32(n), lda = Int32(n), info: Int32 = 0
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "U"))
        var workQuery = [Float](repeating: 0, count: 1), iworkQuery = [Int32](repeating: 0, count: 1)
        var lwork: Int32 = -1, liwork: Int32 = -1
        ssyevd_(&jobz, &uplo, &order, vectors.pointer, &lda, &w, &workQuery, &lwork, &iworkQuery, &liwork, &info)
        try check(info, routine: "ssyevd", rows: n, columns: n)
        lwork = Int32(max(Float(1 + 6 * n + 2 * n * n), workQuery[0]))
        liwork = max(Int32(3 + 5 * n), iworkQuery[0])
        var work = [Float](repeating: 0, count: Int(lwork)), iwork = [Int32](repeating: 0, count: Int(liwork))
        ssyevd_(&jobz, &uplo, &order, vectors.pointer, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
        try check(info, routine: "ssyevd", rows: n, columns: n)
        return (w, vectors)
    }

    /// The thin SVD of a row-major [m, n] matrix through `sgesdd_` (divide and conquer, as
    /// `torch.linalg.svd`). The row-major buffer is LAPACK's Xᵀ [n, m]; from Xᵀ = U'·S·V'ᵀ it
    /// follows X = V'·S·U'ᵀ, so LAPACK's V'ᵀ buffer read row-major is our U [m, k] and its U'
    /// buffer read row-major is our Vt [k, n].
    public static func singularValueDecomposition(_ matrix: Tensor) throws -> SingularValueDecomposition {
        precondition(matrix.rank == 2, "singularValueDecomposition needs a 2-D tensor, got \(matrix.shape)")
        let m = matrix.shape[0], n = matrix.shape[1], k = min(m, n)
        guard k > 0 else {
            return SingularValueDecomposition(u: Tensor(zeros: [m, 0]), singularValues: [], vt: Tensor(zeros: [0, n]))
        }
        try requireFinite(matrix, routine: "sgesdd")
        let a = matrix.copy()
        let uOut = Tensor(uninitialized: [m, k])   // LAPACK's vt (k × m, column-major)
        let vtOut = Tensor(uninitialized: [k, n])  // LAPACK's u (n × k, column-major)
        var s = [Float](repeating: 0, count: k)
        var rows = Int32(n), cols = Int32(m), lda = Int32(n), ldu = Int32(n), ldvt = Int32(k), info: Int32 = 0
        var jobz = CChar(UInt8(ascii: "S"))
        var iwork = [Int32](repeating: 0, count: 8 * k)
        var query = [Float](repeating: 0, count: 1), lwork: Int32 = -1
        sgesdd_(&jobz, &rows, &cols, a.pointer, &lda, &s, vtOut.pointer, &ldu, uOut.pointer, &ldvt, &query, &lwork, &iwork, &info)
        try check(info, routine: "sgesdd", rows: m, columns: n)
        let minimum = 3 * k + max(max(m, n), 5 * k * k + 4 * k)
        lwork = Int32(max(Float(minimum), query[0]))
        var work = [Float](repeating: 0, count: Int(lwork))
        sgesdd_(&jobz, &rows, &cols, a.pointer, &lda, &s, vtOut.pointer, &ldu, uOut.pointer, &ldvt, &work, &lwork, &iwork, &info)
        try check(info, routine: "sgesdd", rows: m, columns: n)
        return SingularValueDecomposition(u: uOut, singularValues: s, vt: vtOut)
    }

    private static func requireFinite(_ matrix: Tensor, routine: String) throws {
        let p = matrix.pointer
        for i in 0..<matrix.count where !p[i].isFinite {
            throw LAPACKError.nonFiniteInput(routine: routine, rows: matrix.shape[0], columns: matrix.shape[1])
        }
    }

    private static func check(_ info: Int32, routine: String, rows: Int, columns: Int) throws {
        if info < 0 { throw LAPACKError.illegalArgument(routine: routine, index: Int(-info)) }
        if info > 0 { throw LAPACKError.didNotConverge(routine: routine, info: Int(info), rows: rows, columns: columns) }
    }
}

import COpenBLAS
import Foundation

/// Matrix products through `cblas_sgemm`: every hot-path product in Mechscope goes through here.
public enum BLAS {
    /// C = alpha·op(A)·op(B) + beta·C on raw row-major pointers with explicit leading dimensions,
    /// so per-head slices of a [pos, head·d_head] activation multiply without copies.
    @inline(__always)
    public static func gemm(transposeA: Bool = false, transposeB: Bool = false,
                            m: Int, n: Int, k: Int,
                            alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int,
                            b: UnsafePointer<Float>, ldb: Int,
                            beta: Float = 0,
                            c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        let start = GemmProfiler.isEnabled ? DispatchTime.now().uptimeNanoseconds : 0
        defer { if GemmProfiler.isEnabled { GemmProfiler.record(start: start, m: m, n: n, k: k) } }
        cblas_sgemm(CblasRowMajor,
                    transposeA ? CblasTrans : CblasNoTrans,
                    transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// y = alpha·op(A)·x + beta·y.
    public static func gemv(transposeA: Bool = false, rows m: Int, cols n: Int, alpha: Float = 1,
                            a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>, incx: Int = 1,
                            beta: Float = 0, y: UnsafeMutablePointer<Float>, incy: Int = 1) {
        guard m > 0, n > 0 else { return }
        cblas_sgemv(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha,
                    a, Int32(lda), x, Int32(incx), beta, y, Int32(incy))
    }
}

public extension Tensor {
    /// The matrix product of two 2-D tensors, optionally transposing either: [m, k]·[k, n] → [m, n].
    func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) -> Tensor {
        precondition(rank == 2 && other.rank == 2, "matmul needs 2-D tensors, got \(shape) and \(other.shape)")
        let m = transposeSelf ? shape[1] : shape[0]
        let k = transposeSelf ? shape[0] : shape[1]
        let k2 = transposeOther ? other.shape[1] : other.shape[0]
        let n = transposeOther ? other.shape[0] : other.shape[1]
        precondition(k == k2, "matmul inner dimensions differ: \(shape) · \(other.shape)")
        let out = Tensor(uninitialized: [m, n])
        BLAS.gemm(transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
                  a: pointer, lda: shape[1], b: other.pointer, ldb: other.shape[1],
                  c: out.pointer, ldc: n)
        return out
    }

    /// x·W + b with W in Conv1D layout [in, out] (GPT-2's): [n, in] → [n, out].
    func linear(weight: Tensor, bias: Tensor?) -> Tensor {
        precondition(rank == 2 && weight.rank == 2 && shape[1] == weight.shape[0],
                     "linear: input \(shape) does not fit weight \(weight.shape)")
        return linear(weight: weight.pointer, ld: weight.shape[1], outputs: weight.shape[1], storedOutByIn: false, bias: bias)
    }

    /// x·W + b: [n, in] → [n, out], with W read through leading dimension `ld` either as [in, out]
    /// or, `storedOutByIn`, as nn.Linear stores it, [out, in] (multiplied as x·Wᵀ, not copied).
    func linear(weight: UnsafePointer<Float>, ld: Int, outputs out: Int, storedOutByIn: Bool, bias: Tensor?) -> Tensor {
        precondition(rank == 2, "linear: input \(shape) is not a matrix")
        let n = shape[0]
        let y = Tensor(uninitialized: [n, out])                          // [n, out]
        var beta: Float = 0
        if let bias {
            precondition(bias.count == out, "linear: bias \(bias.shape) for \(out) outputs")
            for r in 0..<n { (y.pointer + r * out).update(from: bias.pointer, count: out) }
            beta = 1
        }
        BLAS.gemm(transposeB: storedOutByIn, m: n, n: out, k: shape[1], a: pointer, lda: shape[1],
                  b: weight, ldb: ld, beta: beta, c: y.pointer, ldc: out)
        return y
    }
}

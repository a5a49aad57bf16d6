import XCTest
@testable import MechTensor

/// Pins the one BLAS guarantee some tests compare bit for bit on: the same sgemm call (same shapes,
/// transposes and input values, fixed thread count) gives the same bits, wherever the operands sit
/// in memory. Tests that rely on it say so and compare only products of identical shapes:
/// PrefixReuseTests (resumed at position 0), InterventionGoldenTests (patching a run's own
/// activations, edits after a block), PatchingGoldenTests.testKnownCellsSkipTheirRunsAndEqualAFullPatchedRun,
/// PatchingSweepTests.testMeanAblationUsesTheReferencePrompt. Products of other shapes (fewer rows,
/// one row) are NOT guaranteed to round alike (OpenBLAS picks kernels by matrix size) and are
/// compared at float32 rounding everywhere. If this test fails on a platform, those tests' exact
/// comparisons do not hold there either, and this is the failure that explains why.
final class BLASDeterminismTests: XCTestCase {
    private func seeded(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 997
        }
    }

    /// C = A·B with A [m, k] and B [k, n] copied to `shift` floats past a fresh allocation's start.
    private func product(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, shift: Int, transposeB: Bool) -> [UInt32] {
        let bufferA = Tensor(zeros: [m * k + shift]), bufferB = Tensor(zeros: [k * n + shift]), c = Tensor(zeros: [m * n + shift])
        (bufferA.pointer + shift).update(from: a, count: a.count)
        (bufferB.pointer + shift).update(from: b, count: b.count)
        BLAS.gemm(transposeB: transposeB, m: m, n: n, k: k, a: bufferA.pointer + shift, lda: k,
                  b: bufferB.pointer + shift, ldb: transposeB ? k : n, c: c.pointer + shift, ldc: n)
        return (0..<(m * n)).map { c.pointer[shift + $0].bitPattern }
    }

    func testIdenticalProductsGiveIdenticalBitsAtAnyAlignment() {
        // The shapes of the golden models' passes: attention projections, MLP, unembedding, one row.
        for (m, k, n) in [(13, 64, 192), (23, 60, 240), (17, 64, 512), (1, 60, 512), (230, 32, 96), (130, 16, 130)] {
            let a = seeded(m * k, seed: UInt64(m * 31 + k)), b = seeded(k * n, seed: UInt64(n * 17 + k))
            for transposeB in [false, true] {
                let reference = product(a, b, m: m, k: k, n: n, shift: 0, transposeB: transposeB)
                for shift in [1, 3, 16] {
                    XCTAssertEqual(product(a, b, m: m, k: k, n: n, shift: shift, transposeB: transposeB), reference,
                                   "[\(m)×\(k)]·[\(k)×\(n)] transposeB=\(transposeB) moved by \(shift) floats")
                }
                XCTAssertEqual(product(a, b, m: m, k: k, n: n, shift: 0, transposeB: transposeB), reference, "repeated call")
            }
        }
    }
}

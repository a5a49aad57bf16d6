import Foundation
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// FactoredMatrix against TransformerLens 4's FactoredMatrix on one head's circuits, and against
/// dense algebra on small random factors.
final class FactoredMatrixTests: XCTestCase {
    func testNormsSingularValuesAndEigenvaluesMatchTransformerLens() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let golden = g["factored"] as! [String: Any]
            let head = try HeadCircuitWeights(g.weights, layer: golden["layer"] as! Int, head: golden["head"] as! Int)
            let full = try OVCircuit(g.weights, layer: head.layer, head: head.head).fullCircuit
            let cases: [(String, FactoredMatrix)] = [("ov", head.ov), ("full_ov", full), ("qk", head.qk)]
            for (label, m) in cases {
                XCTAssertEqual(m.frobeniusNorm(), (golden["\(label)_norm"] as! NSNumber).doubleValue,
                               accuracy: 1e-4 * (golden["\(label)_norm"] as! NSNumber).doubleValue, "\(name) \(label) norm")
                let svd = try m.singularValueDecomposition()
                assertClose(svd.singularValues.map(Double.init), GoldenJSON.doubles(golden["\(label)_singular_values"]),
                            relative: 1e-4, absolute: 1e-6, "\(name) \(label) singular values")
            }
            // Sorted canonically: LAPACK's eigenvalue order is an implementation detail; conjugate pairs share a real part.
            let ours = try head.ov.eigenvalues().sortedCanonically()
            let theirs = HeadGoldens.eigenvalues(golden["ov_eigenvalues"]).sortedCanonically()
            assertClose(ours.flatMap { [$0.real, $0.imaginary] }, theirs.flatMap { [$0.real, $0.imaginary] },
                        relative: 1e-4, absolute: 1e-5, "\(name) OV eigenvalues")
            assertClose(head.ov.product().rows(0..<3).scalars.enumerated().filter { $0.offset % head.ov.columnCount < 3 }.map { Double($0.element) },
                        GoldenJSON.doubles(golden["ov_corner"]), relative: 1e-4, absolute: 1e-7, "\(name) OV corner")
        }
    }

    private func random(_ shape: [Int], seed: Int) -> Tensor {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        return Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
        })
    }

    private func assertTensorsClose(_ a: Tensor, _ b: Tensor, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, message, file: file, line: line)
        assertClose(a.scalars.map(Double.init), b.scalars.map(Double.init), relative: 1e-4, absolute: 1e-4, message, file: file, line: line)
    }

    func testProductsFollowDenseAlgebra() {
        let m = FactoredMatrix(random([7, 3], seed: 1), random([3, 6], seed: 2))
        let dense = m.product()
        let x = random([6, 4], seed: 3), y = random([5, 7], seed: 4)
        assertTensorsClose(m.multiplied(by: x).product(), dense.matmul(x), "M·X")
        assertTensorsClose(m.premultiplied(by: y).product(), y.matmul(dense), "Y·M")
        let other = FactoredMatrix(random([6, 2], seed: 5), random([2, 4], seed: 6))
        assertTensorsClose(m.multiplied(by: other).product(), dense.matmul(other.product()), "M·N")
        assertTensorsClose(m.transposed.product(), dense.transposedCopy(), "Mᵀ")
        assertTensorsClose(m.scaled(by: -2).product(), { let t = dense.copy(); t.scale(by: -2); return t }(), "−2M")
        let v = random([6], seed: 7).scalars, u = random([7], seed: 8).scalars
        assertClose(m.apply(to: v).map(Double.init), dense.matmul(Tensor(shape: [6, 1], values: v)).scalars.map(Double.init),
                    relative: 1e-4, absolute: 1e-5, "M·v")
        assertClose(m.applyTransposed(to: u).map(Double.init), Tensor(shape: [1, 7], values: u).matmul(dense).scalars.map(Double.init),
                    relative: 1e-4, absolute: 1e-5, "uᵀ·M")
        // The inner dimension stays small where TransformerLens keeps it small.
        XCTAssertEqual(m.multiplied(by: x).innerDimension, 3)
        XCTAssertEqual(FactoredMatrix(random([2, 3], seed: 9), random([3, 2], seed: 10)).multiplied(by: random([2, 5], seed: 11)).innerDimension, 2)
    }

    func testNormSVDAndEigenvaluesAgreeWithTheDenseMatrix() throws {
        let m = FactoredMatrix(random([8, 3], seed: 12), random([3, 8], seed: 13))
        let dense = m.product()
        let denseNorm = dense.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        XCTAssertEqual(m.frobeniusNorm(), denseNorm, accuracy: 1e-5 * denseNorm)
        let svd = try m.singularValueDecomposition()
        XCTAssertEqual(svd.u.shape, [8, 3])
        XCTAssertEqual(svd.v.shape, [8, 3])
        XCTAssertEqual(svd.singularValues, svd.singularValues.sorted(by: >))
        // U·diag(S)·Vᵀ rebuilds M.
        let us = svd.u.copy()
        for r in 0..<8 { for c in 0..<3 { us[r, c] *= svd.singularValues[c] } }
        assertTensorsClose(us.matmul(svd.v, transposeOther: true), dense, "U·S·Vᵀ")
        let norm2 = svd.singularValues.reduce(0.0) { $0 + Double($1) * Double($1) }
        XCTAssertEqual(norm2.squareRoot(), denseNorm, accuracy: 1e-5 * denseNorm)
        // Eigenvalues of AB (8×8, rank 3) are those of BA plus zeros: their sum is the trace.
        let eigen = try m.eigenvalues()
        XCTAssertEqual(eigen.count, 3)
        let trace = (0..<8).reduce(0.0) { $0 + Double(dense[$1, $1]) }
        XCTAssertEqual(eigen.reduce(0.0) { $0 + $1.real }, trace, accuracy: 1e-4)
    }

    func testCopyingScoreOfKnownSpectra() {
        XCTAssertEqual([Eigenvalue(real: 2), Eigenvalue(real: 1)].copyingScore, 1)
        XCTAssertEqual([Eigenvalue(real: -2), Eigenvalue(real: 2)].copyingScore, 0)
        XCTAssertEqual([Eigenvalue(real: 0, imaginary: 1), Eigenvalue(real: 0, imaginary: -1), Eigenvalue(real: -2)].copyingScore, -0.5)
        XCTAssertTrue([Eigenvalue]().copyingScore.isNaN)
    }
}

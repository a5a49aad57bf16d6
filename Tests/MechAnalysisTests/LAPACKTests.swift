import Foundation
import MechTensor
import XCTest
@testable import MechAnalysis

/// The LAPACK wrappers on matrices whose decompositions are known by hand, including the
/// row-major/column-major mapping.
final class LAPACKTests: XCTestCase {
    func testEigenvaluesOfARotationAndATriangularMatrix() throws {
        let rotation = try LAPACK.eigenvalues(ofSquare: [0, -1, 1, 0], order: 2).sortedCanonically()
        XCTAssertEqual(rotation, [Eigenvalue(real: 0, imaginary: 1), Eigenvalue(real: 0, imaginary: -1)])
        // Upper triangular (row-major): eigenvalues are the diagonal, whatever the layout.
        let triangular = try LAPACK.eigenvalues(ofSquare: [3, 5, 7, 0, -1, 2, 0, 0, 0.5], order: 3).sortedCanonically()
        XCTAssertEqual(triangular.map(\.real), [3, 0.5, -1])
        XCTAssertEqual(triangular.map(\.imaginary), [0, 0, 0])
    }

    func testSymmetricEigenReturnsEigenvectorsAsRows() throws {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        let (values, vectors) = try LAPACK.symmetricEigen(Tensor(shape: [2, 2], values: [2, 1, 1, 2]))
        XCTAssertEqual(values[0], 1, accuracy: 1e-6)
        XCTAssertEqual(values[1], 3, accuracy: 1e-6)
        XCTAssertEqual(abs(vectors[0, 0] + vectors[0, 1]), 0, accuracy: 1e-6)
        XCTAssertEqual(abs(vectors[1, 0] - vectors[1, 1]), 0, accuracy: 1e-6)
        XCTAssertEqual(abs(vectors[1, 0]), Float(0.5).squareRoot(), accuracy: 1e-6)
    }

    func testSVDOfARectangularMatrixRebuildsIt() throws {
        let x = Tensor(shape: [2, 3], values: [3, 0, 0, 0, 0, -2])
        let svd = try LAPACK.singularValueDecomposition(x)
        XCTAssertEqual(svd.singularValues, [3, 2])
        XCTAssertEqual(svd.u.shape, [2, 2])
        XCTAssertEqual(svd.vt.shape, [2, 3])
        let us = svd.u.copy()
        for r in 0..<2 { for c in 0..<2 { us[r, c] *= svd.singularValues[c] } }
        let rebuilt = us.matmul(svd.vt)
        for (a, b) in zip(rebuilt.scalars, x.scalars) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testNonFiniteInputIsAnErrorNotAHang() {
        XCTAssertThrowsError(try LAPACK.eigenvalues(ofSquare: [1, .nan, 0, 1], order: 2)) {
            XCTAssertEqual($0 as? LAPACKError, .nonFiniteInput(routine: "dgeev", rows: 2, columns: 2))
            XCTAssertEqual("\($0)", "dgeev: the 2×2 matrix holds NaN or infinity; check the model's weights for non-finite values")
        }
        XCTAssertThrowsError(try LAPACK.singularValueDecomposition(Tensor(shape: [1, 2], values: [.infinity, 0])))
    }
}

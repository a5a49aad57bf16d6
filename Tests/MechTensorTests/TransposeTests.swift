import XCTest
import MechTensor

/// The tiled transpose kernel against the definition, out[j, i] = src[i, j], bit for bit: shapes that
/// are not multiples of the kernel's tiles (8×8 registers, 16×32 blocks), big enough to be split
/// across threads, a view into a larger buffer, and values with NaN payloads and signed zeros.
final class TransposeTests: XCTestCase {
    private func check(_ tensor: Tensor, file: StaticString = #filePath, line: UInt = #line) {
        let rows = tensor.shape[0], cols = tensor.shape[1]
        let out = tensor.transposedCopy()
        XCTAssertEqual(out.shape, [cols, rows], file: file, line: line)
        var mismatches = 0, checked = 0
        for i in 0..<rows {
            for j in 0..<cols {
                if out.pointer[j * rows + i].bitPattern != tensor.pointer[i * cols + j].bitPattern { mismatches += 1 }
                checked += 1
            }
        }
        XCTAssertEqual(checked, rows * cols, file: file, line: line)
        XCTAssertEqual(mismatches, 0, "\(rows)×\(cols)", file: file, line: line)
    }

    private func random(_ rows: Int, _ cols: Int, seed: UInt32) -> Tensor {
        var state = seed
        let t = Tensor(uninitialized: [rows, cols])
        for k in 0..<(rows * cols) {
            state = state &* 1664525 &+ 1013904223
            t.pointer[k] = Float(bitPattern: state)   // any bits: NaN payloads, infinities, -0 and subnormals too
        }
        return t
    }

    func testOddShapesAndThreadSplits() {
        // Small (one thread, partial tiles) and large (split by columns across threads) shapes.
        for (n, (rows, cols)) in [(1, 1), (3, 70), (8, 8), (65, 17), (1000, 777), (513, 1030)].enumerated() {
            check(random(rows, cols, seed: UInt32(12345 + n)))
        }
    }

    func testAViewTransposesOnlyItsOwnElements() {
        let whole = random(10, 12, seed: 7)                                  // [10, 12]
        let rows = Tensor(shape: [4, 12], buffer: whole.buffer, offset: 3 * 12)   // rows 3..<7
        check(rows)
        XCTAssertEqual(rows.transposedCopy().scalars[1].bitPattern, whole.scalars[4 * 12].bitPattern)   // out[0, 1] = whole[4, 0]
    }

    func testEmptyMatrices() {
        XCTAssertEqual(Tensor(uninitialized: [0, 5]).transposedCopy().shape, [5, 0])
        XCTAssertEqual(Tensor(uninitialized: [3, 0]).transposedCopy().shape, [0, 3])
    }
}

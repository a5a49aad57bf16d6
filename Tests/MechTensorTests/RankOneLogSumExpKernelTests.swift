import CMechKernels
import Foundation
import XCTest

/// The C log-sum-exp tile at every instruction set this CPU runs (SSE2 always; AVX2 and AVX-512
/// when present), one-pass and two-pass, against a Double evaluation; NaN and −∞ rows included.
final class RankOneLogSumExpKernelTests: XCTestCase {
    private func reference(_ x: [Double]) -> Double {
        let m = x.max()!
        return m + log(x.reduce(0) { $0 + exp($1 - m) })
    }

    func testEveryInstructionSetMatchesADoubleEvaluation() {
        let n = 1000 + 13
        let a = (0..<n).map { Float(sin(Double($0) * 0.71)) * 9 }
        let b = (0..<n).map { Float(cos(Double($0) * 0.13)) * 2 }
        let e = (0..<n).map { Float($0 % 5) * 0.3 - 0.5 }
        var scratch = [Float](repeating: 0, count: n)
        let best = Int(mech_rank_one_lse_best_level())
        var checked = 0
        for level in 0...best {
            for (c, s) in [(Float(0), Float(1)), (1.5, 0.8), (-3, 1.3)] {
                let x = (0..<n).map { Double((a[$0] - c * b[$0]) * s + e[$0]) }
                let expected = reference(x)
                // shift: none (two passes), below the maximum (one pass), and far below (falls back).
                for shift in [Float.nan, Float(x.max()! - 3), Float(x.max()! - 200)] {
                    var m = 0.0, ref = 0.0, sum = 0.0
                    mech_rank_one_lse_tile_at_level(Int32(level), a, b, e, n, c, s, shift, &scratch, &m, &ref, &sum)
                    XCTAssertEqual(m, x.max()!, accuracy: 1e-5, "level \(level)")
                    if shift.isFinite && shift > Float(x.max()! - 100) { XCTAssertEqual(ref, Double(shift)) } else { XCTAssertEqual(ref, m) }
                    XCTAssertEqual(ref + log(sum), expected, accuracy: 1e-5 * abs(expected), "level \(level) c \(c) shift \(shift)")
                    checked += 1
                }
            }
            var nanA = a
            nanA[n - 1] = .nan                                // in the scalar tail
            var m = 0.0, ref = 0.0, sum = 0.0
            mech_rank_one_lse_tile_at_level(Int32(level), nanA, b, e, n, 1, 1, 0, &scratch, &m, &ref, &sum)
            XCTAssertTrue(sum.isNaN && m.isNaN, "level \(level)")
            nanA = a
            nanA[3] = .nan                                    // in a vector
            mech_rank_one_lse_tile_at_level(Int32(level), nanA, b, e, n, 1, 1, .nan, &scratch, &m, &ref, &sum)
            XCTAssertTrue(sum.isNaN && m.isNaN, "level \(level)")
            let minusInfinity = [Float](repeating: -.infinity, count: n)
            mech_rank_one_lse_tile_at_level(Int32(level), minusInfinity, b, e, n, 0, 1, .nan, &scratch, &m, &ref, &sum)
            XCTAssertEqual(sum, 0)
            XCTAssertEqual(m, -.infinity)
        }
        XCTAssertEqual(checked, (best + 1) * 9)
    }
}

import MechTensor
import XCTest

/// Compares a computed tensor with a reference: |a − b| ≤ rtol·|b| + atol·max|b| elementwise
/// (the atol term, relative to the tensor's own scale, keeps near-zero entries from failing on
/// float32 rounding); infinities must match exactly (masked attention scores).
public func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-4, atol: Float = 1e-5,
                        _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(label): \(actual.count) elements (\(actual.shape)) vs reference \(expected.count) (\(expected.shape))",
                file: file, line: line)
        return
    }
    let a = actual.pointer, b = expected.pointer
    var scale: Float = 0
    for i in 0..<expected.count where b[i].isFinite { scale = max(scale, abs(b[i])) }
    var worst: Float = 0, worstIndex = -1
    for i in 0..<expected.count {
        if b[i].isInfinite || a[i].isInfinite {
            if a[i] != b[i] { XCTFail("\(label)[\(i)]: \(a[i]) vs \(b[i])", file: file, line: line); return }
            continue
        }
        let excess = abs(a[i] - b[i]) - (rtol * abs(b[i]) + atol * scale)
        if excess > worst || a[i].isNaN { worst = a[i].isNaN ? .infinity : excess; worstIndex = i }
    }
    if worstIndex >= 0 {
        XCTFail("\(label): element \(worstIndex) is \(a[worstIndex]), reference \(b[worstIndex]) (scale \(scale))",
                file: file, line: line)
    }
}

/// |actual − expected| ≤ rtol·|expected| + atol·max|expected| for every element (the atol term,
/// relative to the array's own scale, keeps entries near zero from failing on float32 rounding).
public func assertResidualClose(_ actual: [Float], _ expected: [Double], rtol: Double = 1e-4, atol: Double = 1e-5,
                                _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(label): \(actual.count) values vs reference \(expected.count)", file: file, line: line)
        return
    }
    let scale = expected.map(abs).max() ?? 0
    for (i, (a, b)) in zip(actual, expected).enumerated() {
        let allowed = rtol * abs(b) + atol * scale
        if !(abs(Double(a) - b) <= allowed) {
            XCTFail("\(label)[\(i)]: \(a) vs reference \(b) (allowed \(allowed))", file: file, line: line)
            return
        }
    }
}

/// |a − b| ≤ relative·|b| + absolute, reported with context.
public func assertClose(_ ours: [Double], _ golden: [Double], relative: Double = 1e-4, absolute: Double = 1e-6,
                        _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(ours.count, golden.count, "\(message): count", file: file, line: line)
    for (i, (a, b)) in zip(ours, golden).enumerated() where !(abs(a - b) <= relative * abs(b) + absolute) {
        XCTFail("\(message)[\(i)]: \(a) vs reference \(b)", file: file, line: line)
        return
    }
}

import Foundation
import XCTest
@testable import MechTensor

final class VectorMathTests: XCTestCase {
    /// Inputs spread over the ranges the kernels see (attention logits, MLP pre-activations).
    private func samples(_ lo: Float, _ hi: Float, _ n: Int = 4001) -> [Float] {
        (0..<n).map { lo + (hi - lo) * Float($0) / Float(n - 1) }
    }

    private func maxRelativeError(_ xs: [Float], _ f: (VectorMath.Vec) -> VectorMath.Vec,
                                  _ reference: (Double) -> Double) -> Double {
        var worst = 0.0
        var buffer = xs
        buffer.withUnsafeMutableBufferPointer { VectorMath.map($0.baseAddress!, count: $0.count, f) }
        for (x, y) in zip(xs, buffer) {
            let r = reference(Double(x))
            let err = abs(Double(y) - r) / max(abs(r), 1e-30)
            worst = max(worst, err)
        }
        return worst
    }

    func testExpIsAccurateToAFewUlps() {
        XCTAssertLessThan(maxRelativeError(samples(-80, 80), VectorMath.exp, Foundation.exp), 3e-7)
    }

    func testErfcKeepsRelativeAccuracyInBothTails() {
        // Float rounding of the exponent −z² alone costs about z²·6e-8 relative, hence the looser far tail.
        XCTAssertLessThan(maxRelativeError(samples(-6, 3), VectorMath.erfc, Foundation.erfc), 1.5e-6)
        XCTAssertLessThan(maxRelativeError(samples(3, 9), VectorMath.erfc, Foundation.erfc), 1e-5)
    }

    func testTanhAbsoluteErrorIsTiny() {
        var xs = samples(-12, 12)
        let ref = xs.map { Foundation.tanh(Double($0)) }
        xs.withUnsafeMutableBufferPointer { VectorMath.map($0.baseAddress!, count: $0.count, VectorMath.tanh) }
        let worst = zip(xs, ref).map { abs(Double($0) - $1) }.max()!
        XCTAssertLessThan(worst, 3e-7)
        XCTAssertEqual(xs.first!, -1)
        XCTAssertEqual(xs.last!, 1)
    }

    func testGeluVariantsMatchTheirDefinitions() {
        let xs = samples(-8, 8, 1003)  // an odd count exercises the tail path
        let x = Tensor(shape: [xs.count], values: xs)
        let exact = Activation.gelu(x).scalars
        let tanhForm = Activation.geluNew(x).scalars
        let relu = Activation.relu(x).scalars
        for (i, v) in xs.enumerated() {
            let d = Double(v)
            let refExact = 0.5 * d * Foundation.erfc(-d / 2.0.squareRoot())
            let refTanh = 0.5 * d * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (d + 0.044715 * d * d * d)))
            XCTAssertEqual(Double(exact[i]), refExact, accuracy: 1e-6 * max(1, abs(refExact)) + 1e-12, "gelu(\(v))")
            XCTAssertEqual(Double(tanhForm[i]), refTanh, accuracy: 2e-6 * max(1, abs(refTanh)), "gelu_new(\(v))")
            XCTAssertEqual(relu[i], max(v, 0))
        }
        // Far negative tail: exact GELU is tiny but must keep its relative accuracy.
        let tail = Activation.gelu(Tensor(shape: [1], values: [-6])).scalars[0]
        let refTail = 0.5 * -6.0 * Foundation.erfc(6 / 2.0.squareRoot())
        XCTAssertEqual(Double(tail), refTail, accuracy: abs(refTail) * 1e-5)
    }

    func testLayerNormMatchesTwoPassDefinition() {
        let x = Tensor(shape: [2, 5], values: [1, 2, 3, 4, 10, -1, -1, -1, -1, 3])
        let w = Tensor(shape: [5], values: [1, 2, 1, 0.5, 1])
        let b = Tensor(shape: [5], values: [0, 0, 1, 0, -1])
        let result = LayerNorm.normalize(x, epsilon: 1e-5)
        let output = LayerNorm.affine(result.normalized, weight: w, bias: b)
        // Row 0: mean 4, biased var (9+4+1+0+36)/5 = 10.
        let s0 = (10 + 1e-5 as Double).squareRoot()
        XCTAssertEqual(Double(result.scale[0, 0]), s0, accuracy: 1e-6)
        XCTAssertEqual(Double(result.normalized[0, 1]), -2 / s0, accuracy: 1e-6)
        XCTAssertEqual(Double(output[0, 0]), -3 / s0, accuracy: 1e-6)
        XCTAssertEqual(Double(output[0, 1]), -4 / s0, accuracy: 1e-6)
        XCTAssertEqual(Double(output[0, 2]), -1 / s0 + 1, accuracy: 1e-6)
        XCTAssertEqual(Double(output[0, 4]), 6 / s0 - 1, accuracy: 1e-6)
        // Row 1: mean -0.2, var = (4·0.64 + 10.24)/5 = 2.56.
        XCTAssertEqual(Double(result.scale[1, 0]), (2.56 + 1e-5).squareRoot(), accuracy: 1e-6)
    }

    func testCausalSoftmaxMasksTheFuture() {
        let scores = Tensor(shape: [1, 3, 3], values: [5, 9, 9, 1, 2, 9, 0, 0, 0])
        let pattern = CausalSoftmax.apply(scores: scores)
        XCTAssertEqual(pattern.scalars[0...2], [1, 0, 0])
        let e = Foundation.exp(Float(1))
        XCTAssertEqual(pattern[0, 1, 0], 1 / (1 + e), accuracy: 1e-6)
        XCTAssertEqual(pattern[0, 1, 1], e / (1 + e), accuracy: 1e-6)
        XCTAssertEqual(pattern[0, 2, 2], 1 / 3, accuracy: 1e-6)
        XCTAssertEqual(scores[0, 0, 1], -.infinity)
        XCTAssertEqual(scores[0, 1, 2], -.infinity)
        XCTAssertEqual(scores[0, 1, 1], 2)
    }
}

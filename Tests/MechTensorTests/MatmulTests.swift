import XCTest
@testable import MechTensor

final class MatmulTests: XCTestCase {
    func testMatmulMatchesHandComputedProduct() {
        let a = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], values: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(a.matmul(b).scalars, [58, 64, 139, 154])
        XCTAssertEqual(a.matmul(a, transposeOther: true).scalars, [14, 32, 32, 77])
        XCTAssertEqual(a.matmul(a, transposeSelf: true).shape, [3, 3])
        XCTAssertEqual(a.matmul(a, transposeSelf: true)[2, 2], 45)
    }

    func testLinearAddsBiasInConv1DLayout() {
        let x = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let w = Tensor(shape: [2, 3], values: [1, 0, 1, 0, 1, 1])  // [in, out]
        let b = Tensor(shape: [3], values: [10, 20, 30])
        XCTAssertEqual(x.linear(weight: w, bias: b).scalars, [11, 22, 33, 13, 24, 37])
    }

    func testLinearReadsNNLinearLayoutInPlace() {
        let x = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let wT = Tensor(shape: [3, 2], values: [1, 0, 0, 1, 1, 1])  // [out, in]: the transpose of the weight above
        let b = Tensor(shape: [3], values: [10, 20, 30])
        XCTAssertEqual(x.linear(weight: wT.pointer, ld: 2, outputs: 3, storedOutByIn: true, bias: b).scalars,
                       [11, 22, 33, 13, 24, 37])
        XCTAssertEqual(x.linear(weight: wT.pointer, ld: 2, outputs: 3, storedOutByIn: true, bias: nil).scalars,
                       [1, 2, 3, 3, 4, 7])
    }

    func testPreferredCoreTypeFollowsCPUFlags() {
        let skx: Set = ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]
        XCTAssertEqual(OpenBLASRuntime.preferredCoreType(cpuFlags: skx), "SkylakeX")
        XCTAssertEqual(OpenBLASRuntime.preferredCoreType(cpuFlags: ["avx2", "fma"]), "Haswell")
        XCTAssertNil(OpenBLASRuntime.preferredCoreType(cpuFlags: ["sse2"]))
    }
}

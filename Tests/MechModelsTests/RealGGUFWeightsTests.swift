import Foundation
import XCTest
import MechTestSupport
import MechFormats
import MechTensor
@testable import MechModels

/// The real SmolLM2-135M-Instruct Q4_1 GGUF read as Hugging Face-named weights: every tensor equals the
/// one `transformers` makes of the same file (its GGUF loader dequantizes with gguf-py and undoes
/// llama.cpp's Q/K permutation; Tests/golden/make_real_smollm2_goldens.py).
final class RealGGUFWeightsTests: XCTestCase {
    func testSmolLM2WeightsEqualTransformers() throws {
        let url = try RealModels.require(RealModels.smolLM2GGUF)
        let golden = try GoldenJSON.object(at: GoldenFixtures.root.appendingPathComponent("real/smollm2-135m-instruct-transformers.json"))
        let weights = try GGUFWeights(file: try GGUFFile(url: url))
        XCTAssertEqual(weights.headCount, 9)
        XCTAssertEqual(weights.keyValueHeadCount, 3)
        let expected = golden["weights"] as! [[String: Any]]
        XCTAssertEqual(expected.count, 273)
        var compared = 0
        for w in expected {
            let name = w["name"] as! String
            if name == "lm_head.weight" {
                // Tied: the file has no output.weight, and transformers' lm_head is the embedding.
                XCTAssertFalse(weights.contains(name))
                continue
            }
            XCTAssertTrue(weights.contains(name), name)
            let t = try weights.tensor(named: name)
            XCTAssertEqual(t.shape, GoldenJSON.ints(w["shape"]), name)
            let values = UnsafeBufferPointer(start: t.pointer, count: t.count)
            XCTAssertEqual(GoldenJSON.ints(w["picks"]).map { values[$0] }, GoldenJSON.doubles(w["values"]).map(Float.init), name)
            var sum = 0.0, squares = 0.0
            for v in values { sum += Double(v); squares += Double(v) * Double(v) }
            XCTAssertEqual(sum, GoldenJSON.number(w["sum"]), accuracy: 1e-9 * max(1, squares), name)
            XCTAssertEqual(squares, GoldenJSON.number(w["sum_squares"]), accuracy: 1e-9 * squares, name)
            compared += 1
        }
        XCTAssertEqual(compared, 272)
    }

    /// The permutation undone on a small known case: 1 head of d_head 4, rows (j, t) → (t, j).
    func testRotaryPermutationIsUndoneHeadByHead() {
        // GGUF rows for 2 heads of d_head 4: [h0: j0t0 j0t1 j1t0 j1t1 | h1: …], one column each.
        let gguf = Tensor(shape: [8, 1], values: [0, 1, 2, 3, 10, 11, 12, 13])
        let hf = GGUFWeights.undoRotaryPermutation(gguf, heads: 2)
        // HF order per head: t0j0 t0j1 t1j0 t1j1 = rows 0, 2, 1, 3.
        XCTAssertEqual(hf.scalars, [0, 2, 1, 3, 10, 12, 11, 13])
    }

    func testUnsupportedArchitectureIsOneLine() throws {
        let url = GoldenFixtures.root.appendingPathComponent("gguf/metadata-and-types.gguf")
        // The golden says "llama" but has no llama.block_count.
        XCTAssertThrowsError(try GGUFWeights(file: try GGUFFile(url: url))) { error in
            XCTAssertEqual("\(error)", "\(url.path): GGUF metadata 'llama.block_count' is missing or not a positive integer")
        }
    }
}

import Foundation
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// OV copying scores, eigenvalues and logit effects against TransformerLens 4 (compatibility mode).
final class OVCircuitGoldenTests: XCTestCase {
    /// Pairs each TransformerLens eigenvalue with the nearest unused one of ours. LAPACK's order is
    /// not stable across implementations, and the small matrix differs by float rounding:
    /// TransformerLens forms (W_O·W_U)·(W_E·W_V), we form W_O·(W_U·W_E)·W_V. Eigenvalues of a
    /// non-symmetric matrix move by about cond(λ)·ε·‖M‖ (cond(λ) can be large for close eigenvalues), so
    /// each is compared by distance in the complex plane relative to the spectral radius (1e-4), not
    /// entrywise relative to its own size.
    private func assertSameSpectrum(_ ours: [Eigenvalue], _ golden: [Eigenvalue], _ message: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ours.count, golden.count, message, file: file, line: line)
        let radius = golden.map(\.magnitude).max() ?? 1
        var unused = ours
        for λ in golden {
            let distances = unused.map { Eigenvalue(real: $0.real - λ.real, imaginary: $0.imaginary - λ.imaginary).magnitude }
            guard let i = distances.indices.min(by: { distances[$0] < distances[$1] }) else { return }
            XCTAssertLessThanOrEqual(distances[i], 1e-4 * radius, "\(message): \(λ) nearest \(unused[i])", file: file, line: line)
            unused.remove(at: i)
        }
    }

    func testCopyingScoresAndEigenvaluesMatchTransformerLens() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let golden = g["ov_copying"] as! [String: Any]
            let copying = try OVCopyingScores.compute(g.weights)
            // Σλ = trace is well conditioned and Σ|λ| nearly so: 1e-4 relative with a small floor.
            assertClose(copying.scores, GoldenJSON.flat(golden["scores"]), relative: 1e-4, absolute: 2e-5, "\(name) copying")
            let eigen = (golden["eigenvalues"] as! [[Any]]).flatMap { $0.map(HeadGoldens.eigenvalues) }
            for i in 0..<(g.layers * g.heads) {
                assertSameSpectrum(copying.eigenvalues[i], eigen[i], "\(name) head \(i)")
            }
            let single = try OVCopyingScores.eigenvalues(g.weights, layer: 1, head: 2)
            XCTAssertEqual(single.copyingScore, copying.score(layer: 1, head: 2), accuracy: 1e-6)
        }
    }

    func testLogitEffectsOfTheFixedTokenMatchTransformerLens() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let circuits = g["circuits"] as! [String: Any]
            let token = circuits["token_id"] as! Int
            XCTAssertEqual(try g.model.tokenize(circuits["token_text"] as! String), [token])
            let heads = circuits["ov"] as! [[String: Any]]
            XCTAssertEqual(heads.count, g.layers * g.heads, "\(name): every head's OV golden")
            for head in heads {
                let circuit = try OVCircuit(g.weights, layer: head["layer"] as! Int, head: head["head"] as! Int)
                let (promoted, suppressed) = try circuit.promotions(ofToken: token, top: 10)
                XCTAssertEqual(promoted.map(\.token), GoldenJSON.ints(head["top_ids"]), "\(name) \(circuit.weights.label) top")
                XCTAssertEqual(suppressed.map(\.token), GoldenJSON.ints(head["bottom_ids"]), "\(name) \(circuit.weights.label) bottom")
                assertClose(promoted.map { Double($0.score) }, GoldenJSON.doubles(head["top_values"]), relative: 1e-4, absolute: 1e-6, "\(name) top values")
                assertClose(suppressed.map { Double($0.score) }, GoldenJSON.doubles(head["bottom_values"]), relative: 1e-4, absolute: 1e-6, "\(name) bottom values")
            }
            let full = GoldenJSON.ints(circuits["full_vectors_head"])
            let effect = try OVCircuit(g.weights, layer: full[0], head: full[1]).logitEffect(ofToken: token)
            let scale = GoldenJSON.doubles(circuits["ov_effect"]).map(abs).max()!
            assertClose(effect.map(Double.init), GoldenJSON.doubles(circuits["ov_effect"]), relative: 1e-4, absolute: 1e-5 * scale, "\(name) OV effect")
        }
    }

    func testTokenAndHeadOutOfRangeAreErrors() throws {
        let g = try HeadGoldens.named("gpt2-tiny-a")
        XCTAssertThrowsError(try OVCircuit(g.weights, layer: 0, head: 0).logitEffect(ofToken: 512)) {
            XCTAssertEqual($0 as? HeadAnalysisError, .tokenOutOfRange(token: 512, vocabularySize: 512))
            XCTAssertEqual("\($0)", "token id 512 is outside the vocabulary (0–511)")
        }
        XCTAssertThrowsError(try OVCircuit(g.weights, layer: 2, head: 0)) {
            XCTAssertEqual("\($0)", "head L2H0 does not exist: the model has layers 0–1 with heads 0–3")
        }
    }
}

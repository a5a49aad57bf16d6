import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// Token and positional QK circuits against TransformerLens 4 (compatibility mode).
final class QKCircuitGoldenTests: XCTestCase {
    func testPreferredKeysOfTheFixedTokenMatchTransformerLens() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let circuits = g["circuits"] as! [String: Any]
            let token = circuits["token_id"] as! Int
            let heads = circuits["qk"] as! [[String: Any]]
            XCTAssertEqual(heads.count, g.layers * g.heads, "\(name): every head's QK golden")
            for head in heads {
                let circuit = try QKCircuit(g.weights, layer: head["layer"] as! Int, head: head["head"] as! Int)
                let keys = try circuit.preferredKeys(forQueryToken: token, top: 10)
                XCTAssertEqual(keys.map(\.token), GoldenJSON.ints(head["top_ids"]), "\(name) \(circuit.weights.label)")
                assertClose(keys.map { Double($0.score) }, GoldenJSON.doubles(head["top_values"]), relative: 1e-4, absolute: 1e-5, "\(name) key scores")
            }
            let full = GoldenJSON.ints(circuits["full_vectors_head"])
            let scores = try QKCircuit(g.weights, layer: full[0], head: full[1]).keyScores(forQueryToken: token)
            let golden = GoldenJSON.doubles(circuits["qk_key_scores"])
            assertClose(scores.map(Double.init), golden, relative: 1e-4, absolute: 1e-5 * golden.map(abs).max()!, "\(name) QK scores")
        }
    }

    func testPositionalPreferenceMatchesTheReference() throws {
        for name in HeadGoldens.learnedPositionModelNames {
            let g = try HeadGoldens.named(name)
            let heads = (g["circuits"] as! [String: Any])["positional"] as! [[String: Any]]
            XCTAssertEqual(heads.count, g.layers * g.heads, "\(name): every head's positional golden")
            for head in heads {
                let circuit = try QKCircuit(g.weights, layer: head["layer"] as! Int, head: head["head"] as! Int)
                let preference = try circuit.positionalPreference()
                XCTAssertEqual(preference.argmaxOffsets, GoldenJSON.ints(head["argmax_offsets"]), "\(name) \(circuit.weights.label)")
                XCTAssertEqual(preference.preferredOffset, head["preferred_offset"] as? Int)
                XCTAssertEqual(preference.share, (head["share"] as! NSNumber).doubleValue, accuracy: 1e-12)
            }
        }
    }

    /// The full positional score matrices W_pos·W_Q·W_Kᵀ·W_posᵀ of L0H0 and the last head
    /// (heads/<model>/positional_L<l>H<h>.npy), entry by entry.
    func testPositionalScoresMatchTransformerLens() throws {
        var compared = 0
        for name in HeadGoldens.learnedPositionModelNames {
            let g = try HeadGoldens.named(name)
            let nCtx = g["n_ctx"] as! Int
            for (layer, head) in [(0, 0), (g.layers - 1, g.heads - 1)] {
                let url = GoldenFixtures.analysis("heads/\(name)/positional_L\(layer)H\(head).npy")
                let expected = try NpyFile.read(from: url)
                XCTAssertEqual(expected.shape, [nCtx, nCtx], url.lastPathComponent)
                let scores = try QKCircuit(g.weights, layer: layer, head: head).positionalScores()
                XCTAssertEqual(scores.shape, [nCtx, nCtx])
                assertClose(scores, expected, "\(name) L\(layer)H\(head) positional scores")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 4)
    }

    /// Rotary models have no W_pos: TransformerLens records no positional circuit, and asking for one
    /// is a one-line error.
    func testNoPositionalCircuitWithoutLearnedPositions() throws {
        let g = try HeadGoldens.named("llama-tiny")
        XCTAssertEqual(((g["circuits"] as! [String: Any])["positional"] as! [Any]).count, 0)
        XCTAssertThrowsError(try QKCircuit(g.weights, layer: 1, head: 2).positionalScores()) {
            XCTAssertEqual($0 as? HeadAnalysisError, .noLearnedPositions(quantity: "the positional QK circuit"))
            XCTAssertEqual("\($0)", "the positional QK circuit does not exist for this model: it has no learned position embedding (W_pos)")
        }
    }

    func testPositionalPreferenceOfAPreviousTokenPattern() {
        let n = 5
        let s = Tensor(zeros: [n, n])
        for p in 1..<n { s[p, p - 1] = 3 }
        let preference = PositionalPreference(scores: s)
        XCTAssertEqual(preference.argmaxOffsets, [0, 1, 1, 1, 1])
        XCTAssertEqual(preference.preferredOffset, 1)
        XCTAssertEqual(preference.share, 1)
    }
}

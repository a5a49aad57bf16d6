import Foundation
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// Q-, K- and V-composition scores against TransformerLens 4's `all_composition_scores` on
/// processed weights (which also checks ProcessedWeights' attention matrices against TL's).
final class CompositionScoreGoldenTests: XCTestCase {
    func testAllCompositionScoresMatchTransformerLens() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let golden = g["composition"] as! [String: Any]
            for scores in try CompositionScores.compute(g.weights) {
                let expected = GoldenJSON.flat(golden[scores.kind.rawValue])
                XCTAssertEqual(scores.values.count, g.layers * g.heads * g.layers * g.heads)
                assertClose(scores.values.map(Double.init), expected, relative: 1e-4, absolute: 1e-6, "\(name) \(scores.kind)")
                XCTAssertGreaterThan(scores.values.max()!, 0.05, "real scores, not an all-zero matrix")
            }
        }
    }

    func testOnePairAndOneColumnAgreeWithTheMatrix() throws {
        let g = try HeadGoldens.named("gpt2-tiny-b")
        let all = try CompositionScores.compute(g.weights)
        for scores in all {
            let column = try CompositionScores.earlierHeads(composingInto: 2, head: 3, kind: scores.kind, weights: g.weights)
            XCTAssertEqual(column.count, 10)
            XCTAssertEqual(column.map(\.score), column.map(\.score).sorted(by: >))
            for entry in column {
                XCTAssertEqual(entry.score, scores.score(fromLayer: entry.layer, head: entry.head, toLayer: 2, head: 3), accuracy: 1e-5)
            }
            // TransformerLens's pairwise definition through FactoredMatrix.
            let left = try HeadCircuitWeights(g.weights, layer: 0, head: 1).ov
            let later = try HeadCircuitWeights(g.weights, layer: 2, head: 3)
            let right: FactoredMatrix
            switch scores.kind {
            case .query: right = later.qk
            case .key: right = later.qk.transposed
            case .value: right = later.ov
            }
            XCTAssertEqual(FactoredMatrix.compositionScore(left: left, right: right),
                           Double(scores.score(fromLayer: 0, head: 1, toLayer: 2, head: 3)), accuracy: 1e-5)
        }
        XCTAssertEqual(try CompositionScores.earlierHeads(composingInto: 0, head: 0, kind: .query, weights: g.weights).count, 0)
        XCTAssertThrowsError(try CompositionScores.earlierHeads(composingInto: 3, head: 0, kind: .value, weights: g.weights)) {
            XCTAssertEqual($0 as? HeadAnalysisError, .headOutOfRange(layer: 3, head: 0, layers: 3, heads: 5))
        }
    }

    func testSameAndLaterLayerPairsAreZero() throws {
        let g = try HeadGoldens.named("gpt2-tiny-a")
        let q = try CompositionScores.compute(g.weights, kinds: [.query])[0]
        for l1 in 0..<2 { for l2 in 0...l1 { for h1 in 0..<4 { for h2 in 0..<4 {
            XCTAssertEqual(q.score(fromLayer: l1, head: h1, toLayer: l2, head: h2), 0)
        } } } }
    }
}

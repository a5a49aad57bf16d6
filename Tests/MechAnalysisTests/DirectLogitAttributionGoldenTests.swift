import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// Direct logit attribution against TransformerLens 4 (compatibility mode): unit="component",
/// unit="head" (heads + remainder), the attention-bias terms through `logit_attrs`, and every
/// neuron through `stack_neuron_results(apply_ln=True, project_output_onto=...)`, for the answer's
/// logit and for the logit difference answer − wrong.
final class DirectLogitAttributionGoldenTests: XCTestCase {
    func testAttributionsMatchTransformerLens() throws {
        for g in try ResidualGoldenCase.all() {
            let model = g.model.transformer, positions = g.reference.positions, ref = g.reference.dla
            for (kind, wrong) in [("answer", nil), ("diff", g.reference.wrong)] as [(String, Int?)] {
                let u = try DirectLogitAttribution.direction(g.weights, answer: g.reference.answer, wrong: wrong)
                func expected(_ a: ResidualGoldenCase.Reference.Attribution) -> [[Double]] { kind == "answer" ? a.answer : a.diff }
                let components = try DirectLogitAttribution.components(model, g.run, positions: positions, direction: u)
                let tlHeads = try DirectLogitAttribution.heads(model, g.weights, g.run, positions: positions, direction: u,
                                                               includeAttentionBias: false)
                let heads = try DirectLogitAttribution.heads(model, g.weights, g.run, positions: positions, direction: u)
                let neurons = try DirectLogitAttribution.neurons(model, g.weights, g.run, positions: positions, direction: u)
                XCTAssertEqual(components.labels, ref.component.labels, g.name)
                XCTAssertEqual(tlHeads.labels, ref.head.labels, g.name)
                let nHeads = model.config.nLayers * model.config.nHeads
                for i in positions.indices {
                    let at = "\(g.name) \(kind) @\(positions[i])"
                    assertResidualClose(components.column(positionIndex: i), expected(ref.component)[i], "\(at) components")
                    assertResidualClose(tlHeads.column(positionIndex: i), expected(ref.head)[i], "\(at) heads")
                    let withBias = heads.column(positionIndex: i)
                    assertResidualClose(Array(withBias[nHeads..<(nHeads + model.config.nLayers)]), expected(ref.attn_bias)[i],
                                        "\(at) attention biases")
                    assertResidualClose(neurons.column(positionIndex: i), expected(ref.neuron)[i], "\(at) neurons")
                    // Complete decompositions add up to normalized · direction.
                    let logit = try DirectLogitAttribution.residualLogit(model, g.run, positions: [positions[i]], direction: u)[0]
                    XCTAssertEqual(components.total(positionIndex: i), logit, accuracy: 1e-4 * max(1, abs(logit)), at)
                    XCTAssertEqual(heads.total(positionIndex: i), logit, accuracy: 1e-4 * max(1, abs(logit)), at)
                }
            }
        }
    }

    /// The processed logit (difference) is the residual stream's share plus the unembedding bias's:
    /// checked against the raw model's logits (centred over the vocabulary for a single token).
    func testAttributionsPlusBiasGiveTheModelsLogitDifference() throws {
        let g = try ResidualGoldenCase.all()[1]
        let p = g.run.tokens.count - 1
        let row = g.run.logits.row(p).scalars
        let mean = row.reduce(0, +) / Float(row.count)
        let a = g.reference.answer, b = g.reference.wrong
        let diff = try DirectLogitAttribution.direction(g.weights, answer: a, wrong: b)
        let single = try DirectLogitAttribution.direction(g.weights, answer: a)
        let dDiff = try DirectLogitAttribution.components(g.model.transformer, g.run, positions: [p], direction: diff)
        let dSingle = try DirectLogitAttribution.components(g.model.transformer, g.run, positions: [p], direction: single)
        XCTAssertEqual(dDiff.total() + diff.bias, row[a] - row[b], accuracy: 1e-4)
        XCTAssertEqual(dSingle.total() + single.bias, row[a] - mean, accuracy: 1e-4)
        XCTAssertThrowsError(try DirectLogitAttribution.direction(g.weights, answer: 3, wrong: -1)) {
            XCTAssertEqual($0 as? ResidualAnalysisError, .tokenOutOfRange(token: -1, vocabSize: 512))
        }
    }

    func testRankingOrdersByTheChosenKey() throws {
        let g = try ResidualGoldenCase.all()[0]
        let u = try DirectLogitAttribution.direction(g.weights, answer: g.reference.answer, wrong: g.reference.wrong)
        let heads = try DirectLogitAttribution.heads(g.model.transformer, g.weights, g.run, positions: [3], direction: u)
        let column = heads.column()
        XCTAssertEqual(heads.ranked(count: 1, order: .largest)[0].value, column.max())
        XCTAssertEqual(heads.ranked(count: 1, order: .smallest)[0].value, column.min())
        let byMagnitude = heads.ranked(count: column.count).map { abs($0.value) }
        XCTAssertEqual(byMagnitude, byMagnitude.sorted(by: >))
    }
}

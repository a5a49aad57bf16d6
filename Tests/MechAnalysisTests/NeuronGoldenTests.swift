import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// Neuron readouts against TransformerLens 4 (compatibility mode): activations (hook_post), the top
/// neurons by activation and by direct logit attribution, and output-weight effects W_out[n]·W_U.
final class NeuronGoldenTests: XCTestCase {
    func testActivationsAndTopNeuronsMatchTransformerLens() throws {
        for g in try ResidualGoldenCase.all() {
            let model = g.model.transformer, ref = g.reference.neurons
            XCTAssertEqual(g.reference.positions.count, 2, g.name)
            XCTAssertEqual(ref.top.count, 2, g.name)
            for (i, p) in g.reference.positions.enumerated() {
                let acts = try NeuronActivations.atPosition(p, model, g.run)
                assertResidualClose(acts.scalars, ref.activations.map { $0[i] }.flatMap { $0 }, "\(g.name) activations @\(p)")
                let top = ref.top[i]
                XCTAssertEqual(top.position, p)
                XCTAssertEqual([top.by_activation.count, top.by_dla.count], [8, 8], g.name)
                let byActivation = try NeuronActivations.top(at: p, count: top.by_activation.count, model, g.run)
                XCTAssertEqual(byActivation.map { [$0.layer, $0.neuron] }, top.by_activation.map { [Int($0[0]), Int($0[1])] }, g.name)
                assertResidualClose(byActivation.map(\.value), top.by_activation.map { $0[2] }, "\(g.name) top activations")
                let u = try DirectLogitAttribution.direction(g.weights, answer: g.reference.answer)
                let dla = try DirectLogitAttribution.neurons(model, g.weights, g.run, positions: [p], direction: u)
                let byDLA = NeuronActivations.top(by: dla, count: top.by_dla.count)
                XCTAssertEqual(byDLA.map { [$0.layer, $0.neuron] }, top.by_dla.map { [Int($0[0]), Int($0[1])] }, g.name)
                assertResidualClose(byDLA.map(\.value), top.by_dla.map { $0[2] }, "\(g.name) top neuron DLA")
            }
            let lowest = try NeuronActivations.top(at: 0, count: 3, largest: false, model, g.run)
            let all = try NeuronActivations.atPosition(0, model, g.run).scalars
            XCTAssertEqual(lowest.map(\.value), Array(all.sorted().prefix(3)))
        }
    }

    func testOutputWeightEffectsMatchTransformerLens() throws {
        for g in try ResidualGoldenCase.all() {
            XCTAssertEqual(g.reference.neurons.effects.count, 2, g.name)
            for ref in g.reference.neurons.effects {
                let effect = try NeuronOutputEffect(layer: ref.layer, neuron: ref.neuron, weights: g.weights,
                                                    count: ref.promoted.count)
                assertResidualClose(effect.effect, ref.effect, "\(g.name) L\(ref.layer)N\(ref.neuron) effect")
                XCTAssertEqual(effect.promoted.map(\.tokenID), ref.promoted, g.name)
                XCTAssertEqual(effect.suppressed.map(\.tokenID), ref.suppressed, g.name)
            }
        }
    }

    func testBadNeuronsAreReported() throws {
        let g = try ResidualGoldenCase.all()[0]
        XCTAssertThrowsError(try NeuronOutputEffect(layer: 2, neuron: 0, weights: g.weights)) {
            XCTAssertEqual("\($0)", "neuron L2N0 does not exist: the model has layers 0…1 with 256 neurons each")
        }
        XCTAssertThrowsError(try NeuronOutputEffect(layer: 0, neuron: 256, weights: g.weights))
        XCTAssertThrowsError(try NeuronActivations.layer(-1, g.model.transformer, g.run))
    }
}

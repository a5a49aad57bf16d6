import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// Interventions as values: labels, equality, and validation errors instead of traps.
final class InterventionValidationTests: XCTestCase {
    private func model() throws -> LoadedModel { try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-a")) }

    func testLabelsHooksAndEquality() {
        let a = Intervention.processedZeroHead(layer: 1, head: 3, valueBias: [0, 1])
        XCTAssertEqual(a.label, "zero-ablate L1H3")
        XCTAssertEqual(a.hook, .z(1))
        XCTAssertEqual(Intervention.meanNeuron(layer: 0, neuron: 7, mean: 0.5).label, "mean-ablate L0N7")
        XCTAssertEqual(Intervention.setNeuron(layer: 0, neuron: 7, to: 0).hook, .mlpPost(0))
        XCTAssertEqual(a, .processedZeroHead(layer: 1, head: 3, valueBias: [0, 1]))
        XCTAssertNotEqual(a, .processedZeroHead(layer: 1, head: 2, valueBias: [0, 1]))
        // Tensors compare by identity: the same storage is equal, equal contents elsewhere are not.
        let t = Tensor(repeating: 1, shape: [2, 4])
        XCTAssertEqual(Intervention.patch(.residPre(0), from: t), .patch(.residPre(0), from: t))
        XCTAssertNotEqual(Intervention.patch(.residPre(0), from: t),
                          .patch(.residPre(0), from: Tensor(repeating: 1, shape: [2, 4])))
        XCTAssertEqual(Set([a, a, .zeroHead(layer: 0, head: 0)]).count, 2)
    }

    func testValidationNamesWhatIsWrong() throws {
        let m = try model()
        let c = m.config
        func error(_ i: Intervention, tokens: Int? = nil) -> InterventionError? {
            do { try i.validate(against: c, tokens: tokens); return nil } catch { return error as? InterventionError }
        }
        XCTAssertEqual(error(.zeroHead(layer: c.nLayers, head: 0)),
                       .layerOutOfRange(intervention: "zero-ablate L\(c.nLayers)H0 (raw z)", layer: c.nLayers, layers: c.nLayers))
        XCTAssertEqual(error(.meanHead(layer: 0, head: c.nHeads, mean: [])),
                       .headOutOfRange(intervention: "mean-ablate L0H\(c.nHeads)", head: c.nHeads, heads: c.nHeads))
        XCTAssertEqual(error(.meanHead(layer: 0, head: 0, mean: [1, 2])),
                       .shapeMismatch(intervention: "mean-ablate L0H0", what: "the mean", expected: [c.dHead], found: [2]))
        XCTAssertEqual(error(.setNeuron(layer: 0, neuron: c.dMLP, to: 0)),
                       .neuronOutOfRange(intervention: "zero-ablate L0N\(c.dMLP)", neuron: c.dMLP, dMLP: c.dMLP))
        XCTAssertEqual(error(.patch(.residPre(1), from: Tensor(zeros: [3, c.dModel]), positions: [5]), tokens: 3),
                       .positionOutOfRange(intervention: "patch blocks.1.hook_resid_pre at 5", position: 5, tokens: 3))
        XCTAssertEqual(error(.patch(.residPre(1), from: Tensor(zeros: [3, c.dModel + 1])), tokens: 3),
                       .shapeMismatch(intervention: "patch blocks.1.hook_resid_pre", what: "the source activation",
                                      expected: [3, c.dModel], found: [3, c.dModel + 1]))
        XCTAssertNil(error(.addVector(.residPre(1), vector: Tensor(zeros: [c.dModel]))))
        XCTAssertEqual(error(.addVector(.residPre(1), vector: Tensor(zeros: [2]))),
                       .shapeMismatch(intervention: "add 1.0·vector at blocks.1.hook_resid_pre", what: "the vector",
                                      expected: [c.dModel], found: [2]))
    }

    func testRunningAnInvalidInterventionIsAOneLineError() throws {
        let m = try model()
        let ids = try m.tokenize("The cat sat on the mat.")
        XCTAssertThrowsError(try m.transformer.run(ids, interventions: [.zeroHead(layer: 0, head: 99)])) {
            XCTAssertEqual("\($0)".split(separator: "\n").count, 1)
            XCTAssertTrue("\($0)".contains("head 99 is out of range"), "\($0)")
        }
        XCTAssertThrowsError(try m.transformer.run(ids, interventions: [
            .patchHead(layer: 1, head: 0, from: Tensor(zeros: [ids.count + 1, m.config.nHeads, m.config.dHead]))]))
    }
}

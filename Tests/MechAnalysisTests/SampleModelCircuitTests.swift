import Foundation
import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// The circuits the shipped sample models were trained to have, measured with Mechscope itself
/// on the committed weights.
final class SampleModelCircuitTests: XCTestCase {
    static let samples = GoldenFixtures.repositoryRoot.appendingPathComponent("samples")

    func testModularAdditionIsSolvedOnAllPairs() throws {
        let model = try LoadedModel(folder: Self.samples.appendingPathComponent("modadd-1l"))
        let p = 113
        XCTAssertEqual(try model.tokenize("12 45 ="), [12, 45, 113])
        var correct = 0
        for a in 0..<p {
            for b in 0..<p {
                let run = try model.transformer.run([a, b, p], caching: .none)
                let last = run.logits.row(2)
                if TopK.indices(of: last, k: 1).first == (a + b) % p { correct += 1 }
            }
        }
        let accuracy = Double(correct) / Double(p * p)
        XCTAssertGreaterThanOrEqual(accuracy, 0.99, "\(correct) of \(p * p) correct")
        XCTAssertEqual(correct, p * p, "the README reports all 12769 pairs correct")
    }

    func testModularAdditionEmbeddingIsSparseInFourierSpace() throws {
        let model = try LoadedModel(folder: Self.samples.appendingPathComponent("modadd-1l"))
        let spectrum = EmbeddingFourierSpectrum(embedding: model.transformer.weights.tokenEmbedding, period: 113)
        // A random embedding spreads evenly: 5 of 56 frequencies hold about 9%.
        XCTAssertGreaterThan(spectrum.topShare(5), 0.9)
        XCTAssertEqual(spectrum.power.reduce(0, +), 1, accuracy: 1e-9)
        // The README's key frequencies, computed by the training script in NumPy.
        XCTAssertEqual(Set(spectrum.rankedFrequencies.prefix(4)), [42, 1, 19, 38])
        XCTAssertEqual(spectrum.power[42 - 1], 0.302, accuracy: 0.005)
        XCTAssertEqual(spectrum.power[19 - 1], 0.206, accuracy: 0.005)
    }

    func testFourierSpectrumOfAPureCosineIsOneFrequency() {
        let p = 17
        let values = (0..<p).flatMap { t in [Float(cos(2 * Double.pi * 3 * Double(t) / Double(p))), 0.5] }
        let spectrum = EmbeddingFourierSpectrum(embedding: Tensor(shape: [p, 2], values: values), period: p)
        XCTAssertEqual(spectrum.rankedFrequencies.first, 3)
        XCTAssertEqual(spectrum.power[2], 1, accuracy: 1e-9)
        XCTAssertGreaterThan(spectrum.constantShare, 0)
    }

    func testSuperpositionToyRepresentsMoreFeaturesThanDimensions() throws {
        let toy = try ToySuperpositionModel(folder: Self.samples.appendingPathComponent("superposition-toy"))
        let geometry = SuperpositionGeometry(toy)
        XCTAssertEqual(toy.nHidden, 5)
        XCTAssertGreaterThan(geometry.representedCount(), toy.nHidden)
        XCTAssertGreaterThan(geometry.frobeniusNormSquared, Float(toy.nHidden))
        // Represented features share dimensions: interference is far from 0 and dimensionality below 1.
        let represented = geometry.features.filter { $0.norm > 0.5 }
        XCTAssertTrue(represented.allSatisfy { $0.interference > 0.5 && $0.dimensionality < 0.75 })
        // The most important feature is represented; the least important ones are dropped.
        XCTAssertGreaterThan(geometry.features[0].norm, 0.9)
        XCTAssertLessThan(geometry.features[19].norm, 0.1)
        // The README's values for feature 0, from the training script.
        XCTAssertEqual(geometry.features[0].norm, 1.127, accuracy: 0.001)
        XCTAssertEqual(geometry.features[0].interference, 2.477, accuracy: 0.001)
        // A single represented feature reads back nearly intact through the ReLU.
        let (_, out) = toy.run(try toy.parseInput("1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"))
        XCTAssertEqual(out[0, 0], 1, accuracy: 0.1)
    }
}

/// The induction sample's circuit: a layer-0 previous-token head feeding a layer-1 induction head.
final class InductionSampleTests: XCTestCase {
    private func model() throws -> LoadedModel {
        try LoadedModel(folder: SampleModelCircuitTests.samples.appendingPathComponent("induction-2l"))
    }

    func testInductionAndPreviousTokenHeadsOnARepeatedRandomSequence() throws {
        let model = try model()
        let sequence = try RepeatedTokenSequence(for: model)
        let scores = try RepeatedSequenceScores.compute(model.transformer, sequence: sequence)
        let heads = model.config.nHeads
        let bestInduction = (0..<heads).map { scores.induction[heads + $0] }.max()!
        let bestPrevious = (0..<heads).map { scores.patternScores.previousToken[$0] }.max()!
        XCTAssertGreaterThanOrEqual(bestInduction, 0.6, "best layer-1 induction score")
        XCTAssertGreaterThanOrEqual(bestPrevious, 0.6, "best layer-0 previous-token score")
    }

    func testLossOnTheRepeatedHalfIsFarBelowTheFirstHalf() throws {
        let model = try model()
        let sequence = try RepeatedTokenSequence(for: model)
        let n = sequence.halfLength
        let run = try model.transformer.run(sequence.tokens, caching: .none)
        func meanLoss(_ positions: Range<Int>) -> Double {
            positions.reduce(0.0) { total, p in
                total - Double(Softmax.logProbabilities(run.logits.row(p))[sequence.tokens[p + 1]])
            } / Double(positions.count)
        }
        let first = meanLoss(0..<(n - 1)), second = meanLoss(n..<(2 * n - 1))
        XCTAssertGreaterThan(first, 5, "random tokens should be unpredictable in the first half")
        XCTAssertLessThan(second, first / 3, "first half \(first) nats, second half \(second) nats")
    }

    func testHeadsCommandDefaultPutsAnInductionHeadFirst() throws {
        let model = try model()
        let prompt = try XCTUnwrap(try String(contentsOf: model.folder.appendingPathComponent("prompts.txt"), encoding: .utf8)
            .split(separator: "\n").first.map(String.init))
        let tokens = try model.tokenize(prompt)
        let table = try HeadScoreTable.compute(model.transformer, weights: ProcessedWeights(model.transformer),
                                               promptTokens: tokens, sequence: RepeatedTokenSequence(for: model))
        let top = table.sorted(by: .induction).first!
        XCTAssertEqual(top.layer, 1)
        XCTAssertGreaterThanOrEqual(top.repeatedInduction, 0.6)
    }
}

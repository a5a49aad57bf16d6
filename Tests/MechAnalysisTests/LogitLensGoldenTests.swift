import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// The logit lens against TransformerLens 4's `logit_lens` (compatibility mode, recomputed final
/// LayerNorm): top-k tokens and probabilities, entropy, and a target's probability and rank.
final class LogitLensGoldenTests: XCTestCase {
    func testLensMatchesTransformerLens() throws {
        for g in try ResidualGoldenCase.all() {
            let ref = g.reference.lens
            let lens = try LogitLens.read(g.model.transformer, g.weights, g.run, positions: g.reference.positions,
                                          topK: g.reference.top_k, targets: [g.reference.answer])
            XCTAssertEqual(lens.entries.map(\.label), ref.labels, g.name)
            for e in ref.labels.indices {
                for i in g.reference.positions.indices {
                    let r = lens.reading(entry: e, positionIndex: i)
                    let where_ = "\(g.name) \(ref.labels[e]) @\(g.reference.positions[i])"
                    XCTAssertEqual(r.top.map(\.tokenID), ref.top_ids[e][i], where_)
                    assertResidualClose(r.top.map(\.probability), ref.top_probs[e][i], "\(where_) top probs")
                    XCTAssertEqual(Double(r.entropy), ref.entropy[e][i], accuracy: 1e-4 * ref.entropy[e][i], where_)
                    assertResidualClose([r.targets[0].probability], [ref.target_probs[e][i]], "\(where_) target prob")
                    XCTAssertEqual(r.targets[0].rank, ref.target_ranks[e][i], "\(where_) target rank")
                }
            }
            XCTAssertEqual(lens.targetRanks(positionIndex: 1), ref.target_ranks.map { $0[1] })
        }
    }

    /// The last entry is the model's own prediction: the same distribution as the raw logits.
    func testFinalEntryReproducesTheModelsOutput() throws {
        let g = try ResidualGoldenCase.all()[2]
        let last = g.run.tokens.count - 1
        let lens = try LogitLens.read(g.model.transformer, g.weights, g.run, positions: [last], topK: 3,
                                      targets: [0, 17])
        let probs = Softmax.probabilities(g.run.logits.row(last))
        let final = lens.readings.last![0]
        XCTAssertEqual(final.top.map(\.tokenID), TopK.indices(of: probs, k: 3))
        for t in final.top + final.targets {
            XCTAssertEqual(t.probability, probs[t.tokenID], accuracy: 1e-5 * max(probs[t.tokenID], 1e-3))
            XCTAssertEqual(t.logProbability, log(probs[t.tokenID]), accuracy: 1e-4)
            XCTAssertEqual(t.rank, probs.filter { $0 > probs[t.tokenID] }.count)
        }
    }

    /// Reading arbitrary vectors is the same computation: the final residual read as a vector
    /// gives the final entry's reading.
    func testReadingVectorsMatchesTheLens() throws {
        let g = try ResidualGoldenCase.all()[0]
        let p = 4
        let lens = try LogitLens.read(g.model.transformer, g.weights, g.run, positions: [p], topK: 4, targets: [9])
        let final = try g.run.cache.required(.residPost(g.model.config.nLayers - 1)).row(p)
        let read = try LogitLens.readVectors(final.copy(), g.model.transformer, g.weights, topK: 4, targets: [9])
        XCTAssertEqual(read.count, 1)
        XCTAssertEqual(read[0].top.map(\.tokenID), lens.readings.last![0].top.map(\.tokenID))
        XCTAssertEqual(read[0].targets[0].probability, lens.readings.last![0].targets[0].probability, accuracy: 1e-6)
        XCTAssertThrowsError(try LogitLens.read(g.model.transformer, g.weights, g.run, positions: [p], targets: [512])) {
            XCTAssertEqual($0 as? ResidualAnalysisError, .tokenOutOfRange(token: 512, vocabSize: 512))
        }
    }
}

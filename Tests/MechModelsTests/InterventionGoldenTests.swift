import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// Edits made during the forward pass, against the same edits made with PyTorch hooks on
/// Hugging Face's model (Tests/golden/make_goldens.py).
final class InterventionGoldenTests: XCTestCase {
    private let folder = GoldenFixtures.root.appendingPathComponent("cases/gpt2-tiny-a/ascii_sentence")

    private func run(_ edits: [Intervention]) throws -> (ForwardResult, ForwardResult) {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-a"))
        let meta = try JSONDecoder().decode(GoldenFixtures.Meta.self,
                                            from: Data(contentsOf: folder.appendingPathComponent("meta.json")))
        return (try model.transformer.run(meta.token_ids), try model.transformer.run(meta.token_ids, interventions: edits))
    }

    func testZeroAblatingAHeadMatchesReference() throws {
        let (clean, ablated) = try run([.zeroHead(layer: 0, head: 1)])
        let expected = try NpyFile.read(from: folder.appendingPathComponent("interventions/ablate_L0H1_logits.npy"))
        assertClose(ablated.logits, expected, "ablated logits")
        // The edit is visible in the cache and did not leak into the clean run.
        let z = ablated.cache[.z(0)]!
        XCTAssertEqual(z[3, 1, 5], 0)
        XCTAssertNotEqual(clean.cache[.z(0)]![3, 1, 5], 0)
        XCTAssertNotEqual(clean.logits.scalars, ablated.logits.scalars)
    }

    func testSteeringVectorMatchesReference() throws {
        let vector = try NpyFile.read(from: folder.appendingPathComponent("interventions/steer_vector.npy"))
        let (clean, steered) = try run([.addVector(.residPre(1), vector: vector)])
        let expected = try NpyFile.read(from: folder.appendingPathComponent("interventions/steer_L1_logits.npy"))
        assertClose(steered.logits, expected, "steered logits")
        // resid_pre of block 1 is resid_post of block 0: editing one must not rewrite the other.
        assertClose(steered.cache[.residPost(0)]!, clean.cache[.residPost(0)]!, "resid_post 0 untouched")
        let delta = steered.cache[.residPre(1)]! - clean.cache[.residPost(0)]!
        assertClose(delta.row(2), vector, "steering delta")
    }

    func testPatchingEveryActivationFromTheSameRunChangesNothing() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-a"))
        let ids = try model.tokenize("The cat sat on the mat.")
        let clean = try model.transformer.run(ids)
        let patched = try model.transformer.run(ids, interventions: [
            .patch(.residPre(1), from: clean.cache[.residPre(1)]!, positions: [1, 2]),
            .patchHead(layer: 1, head: 2, from: clean.cache[.z(1)]!),
        ])
        // Bit for bit: every product has the clean run's shapes and inputs (BLASDeterminismTests pins that).
        XCTAssertEqual(patched.logits.scalars, clean.logits.scalars)
    }

    func testMeanAblationAndNeuronEditsChangeOnlyWhatTheyTouch() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-a"))
        let ids = try model.tokenize("The cat sat on the mat.")
        let clean = try model.transformer.run(ids)
        let mean = Tensor(repeating: 0.25, shape: [model.config.dHead])
        let edited = try model.transformer.run(ids, interventions: [
            .meanHead(layer: 1, head: 0, mean: mean.scalars),
            .setNeuron(layer: 0, neuron: 7, to: 0),
        ])
        let z = edited.cache[.z(1)]!, post = edited.cache[.mlpPost(0)]!
        for p in 0..<ids.count {
            XCTAssertEqual(z[p, 0, 3], 0.25)
            XCTAssertEqual(post[p, 7], 0)
            XCTAssertEqual(post[p, 8], clean.cache[.mlpPost(0)]![p, 8])
        }
        // Block 0's attention runs before the neuron edit, so it is unchanged: bit for bit, as the same
        // products on the same inputs (BLASDeterminismTests); so is every unedited neuron of block 0.
        XCTAssertEqual(edited.cache[.pattern(0)]!.scalars, clean.cache[.pattern(0)]!.scalars)
    }
}

/// Logits computed for fewer positions, or later from the cache, equal the full pass's rows.
final class LogitRowsTests: XCTestCase {
    func testLastRowAndLaterPositionsMatchTheFullPass() throws {
        for name in ["gpt2-tiny-a", "gpt2-tiny-b"] {
            let model = try LoadedModel(folder: GoldenFixtures.modelFolder(name))
            let ids = try model.tokenize("Logits on demand, later.")
            let full = try model.transformer.run(ids)
            let last = try model.transformer.run(ids, logits: .last)
            XCTAssertEqual(last.logits.shape, [1, model.config.vocabSize])
            assertClose(last.lastLogits!, full.logits.row(ids.count - 1), "\(name) last row")
            let later = model.transformer.logits(at: [0, 2], from: last.cache)!
            assertClose(later.row(0), full.logits.row(0), "\(name) position 0 from cache")
            assertClose(later.row(1), full.logits.row(2), "\(name) position 2 from cache")
            XCTAssertNil(try model.transformer.run(ids, logits: .none).lastLogits)
        }
    }
}

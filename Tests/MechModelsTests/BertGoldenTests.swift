import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// BERT encoders against Hugging Face `transformers` (Tests/golden/make_bert_goldens.py): every
/// TransformerLens HookedEncoder hook of small random BertModels, fed the recorded token ids and token
/// types, at 1e-4 relative; the token ids from the folder's WordPiece tokenizer.
final class BertGoldenTests: XCTestCase {
    func testBertModelEveryHook() throws { try checkModel("bert-tiny", cases: 3) }
    func testBertForMaskedLMNamesUnderBertPrefix() throws { try checkModel("bert-tiny-mlm", cases: 1) }

    func testArchitectureReadFromConfig() throws {
        let c = try LoadedModel(folder: GoldenFixtures.modelFolder("bert-tiny")).config
        let a = c.architecture
        XCTAssertEqual(c.modelType, "bert")
        XCTAssertTrue(a.isEncoder)
        XCTAssertFalse(a.attention.causal)
        XCTAssertEqual(a.blockNorm, .postLN)
        XCTAssertEqual(a.embeddings, EmbeddingSpec(tokenTypes: 2, layerNorm: true))
        XCTAssertFalse(a.finalNorm)
        XCTAssertFalse(a.lmHead)
        XCTAssertEqual(a.mlp.activation, .gelu)
        XCTAssertEqual(a.normalization, Normalization(.layerNorm, epsilon: 1e-12))
        XCTAssertEqual([c.nLayers, c.dModel, c.nHeads, c.dHead, c.dMLP, c.nContext], [2, 32, 4, 8, 64, 48])
        XCTAssertEqual(HookPoint.all(for: c).filter { $0.layer == nil }.map(\.name), [
            "embed.hook_embed", "embed.hook_pos_embed", "embed.hook_token_type_embed", "embed.ln.hook_scale",
            "embed.ln.hook_normalized", "hook_full_embed",
        ])
        XCTAssertEqual(HookPoint.all(for: c).filter { $0.layer == 0 }.map(\.name), [
            "blocks.0.hook_resid_pre", "blocks.0.attn.hook_q", "blocks.0.attn.hook_k", "blocks.0.attn.hook_v",
            "blocks.0.attn.hook_attn_scores", "blocks.0.attn.hook_pattern", "blocks.0.attn.hook_z",
            "blocks.0.hook_attn_out", "blocks.0.hook_resid_mid", "blocks.0.ln1.hook_scale",
            "blocks.0.ln1.hook_normalized", "blocks.0.mlp.hook_pre", "blocks.0.mlp.hook_post", "blocks.0.hook_mlp_out",
            "blocks.0.hook_resid_post", "blocks.0.ln2.hook_scale", "blocks.0.ln2.hook_normalized",
            "blocks.0.hook_normalized_resid_post",
        ])
        // hook_embed / hook_pos_embed of decoders and embed.hook_* of encoders parse to different points.
        XCTAssertEqual(HookPoint(name: "embed.hook_embed"), .encoderEmbed)
        XCTAssertEqual(HookPoint(name: "hook_embed"), .embed)
        XCTAssertEqual(HookPoint(name: "blocks.5.hook_normalized_resid_post"), .normalizedResidPost(5))
    }

    /// Without an LM head a run computes no logits, whatever it is asked for.
    func testEncoderRunHasNoLogits() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("bert-tiny"))
        let result = try model.transformer.run([2, 9, 3])
        XCTAssertEqual(result.logits.shape, [3, 0])
        XCTAssertNil(result.lastLogits)
        XCTAssertNil(model.transformer.logits(at: [0], from: result.cache))
    }

    /// Bidirectional: changing the last token changes the first position's output (a causal model's would not).
    func testAttentionSeesLaterPositions() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("bert-tiny"))
        let a = try model.transformer.run([2, 9, 10, 3]).cache[.normalizedResidPost(1)]!
        let b = try model.transformer.run([2, 9, 11, 3]).cache[.normalizedResidPost(1)]!
        let diff = zip(a.row(0).scalars, b.row(0).scalars).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(diff, 1e-3)
        let pattern = try model.transformer.run([2, 9, 10, 3]).cache[.pattern(0)]!   // [head, q, k]
        XCTAssertGreaterThan(pattern.pointer[3], 0, "query 0 attends to key 3")
    }

    /// A pass resumed mid-prompt reuses earlier positions' keys and values, which in an encoder depend on later tokens.
    func testResumingAPassRefusesABidirectionalModel() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("bert-tiny"))
        let full = try model.transformer.run([2, 9, 10, 3])
        XCTAssertThrowsError(try model.transformer.resume(from: full, layer: 1, position: 2)) {
            XCTAssertEqual($0 as? PrefixReuseError, .bidirectional(modelType: "bert"))
        }
    }

    func testUnsupportedPositionEmbeddingsAreRefused() throws {
        let scratch = try ScratchFolder(prefix: "bert-config")
        defer { scratch.remove() }
        let folder = try scratch.copyOfGoldenModel("bert-tiny", as: "relative")
        let url = folder.appendingPathComponent("config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        config["position_embedding_type"] = "relative_key"
        try JSONSerialization.data(withJSONObject: config).write(to: url)
        XCTAssertThrowsError(try LoadedModel(folder: folder)) {
            XCTAssertEqual($0 as? ModelError, .badConfig(file: url.path, key: "position_embedding_type",
                                                         problem: "'relative_key' is not supported (only \"absolute\")"))
        }
    }

    /// sentence-transformers' modules.json and the Pooling config, read tolerantly.
    func testSentencePoolingIsReadFromTheModules() throws {
        let scratch = try ScratchFolder(prefix: "bert-pooling")
        defer { scratch.remove() }
        let folder = scratch.url
        XCTAssertNil(try SentencePooling.read(folder: folder), "no modules.json: not a sentence-transformers folder")
        func write(_ text: String, _ path: String) throws {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write(#"[{"idx":0,"type":"sentence_transformers.models.Transformer","path":""},"#
                  + #"{"idx":1,"type":"sentence_transformers.models.Pooling","path":"1_Pooling","extra":1}]"#, "modules.json")
        try write(#"{"word_embedding_dimension":4,"pooling_mode_cls_token":true,"pooling_mode_max_tokens":true,"unknown":3}"#,
                  "1_Pooling/config.json")
        let pooling = try XCTUnwrap(try SentencePooling.read(folder: folder))
        XCTAssertEqual(pooling, SentencePooling(modes: [.cls, .max], normalize: false))
        let tokens = Tensor(shape: [2, 2], values: [1, -2, 3, 0])
        XCTAssertEqual(pooling.embed(tokens), [1, -2, 3, 0], "[CLS] row, then the max over rows")
        XCTAssertEqual(SentencePooling(modes: [.mean], normalize: true).embed(tokens).map { ($0 * 1e4).rounded() / 1e4 },
                       [0.8944, -0.4472], "(2, −1)/√5")
        XCTAssertEqual(SentencePooling(modes: [.meanSqrtLength], normalize: false).embed(tokens).map { ($0 * 1e4).rounded() / 1e4 },
                       [2.8284, -1.4142])
        try write(#"{"pooling_mode_lasttoken":true}"#, "1_Pooling/config.json")
        XCTAssertThrowsError(try SentencePooling.read(folder: folder)) {
            XCTAssertEqual($0 as? SentencePoolingError, .unsupportedMode(path: folder.appendingPathComponent("1_Pooling/config.json").path,
                                                                         mode: "pooling_mode_lasttoken"))
        }
        try write(#"{"a": 1}"#, "modules.json")
        XCTAssertThrowsError(try SentencePooling.read(folder: folder)) {
            XCTAssertEqual($0 as? SentencePoolingError, .notAModuleList(path: folder.appendingPathComponent("modules.json").path, found: "object"))
        }
    }

    func testTokenTypesAreChecked() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("bert-tiny"))
        XCTAssertThrowsError(try model.transformer.run([2, 9, 3], tokenTypes: [0, 1], logits: .none)) {
            XCTAssertEqual($0 as? ModelError, .tokenTypesMismatch(tokens: 3, tokenTypes: 2))
        }
        XCTAssertThrowsError(try model.transformer.run([2, 9, 3], tokenTypes: [0, 2, 0], logits: .none)) {
            XCTAssertEqual($0 as? ModelError, .tokenTypeOutOfRange(tokenType: 2, types: 2))
        }
    }

    private func checkModel(_ name: String, cases expected: Int) throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder(name))
        let cases = try GoldenFixtures.cases(of: name, expected: expected)
        for (folder, meta) in cases {
            let label = "\(name)/\(folder.lastPathComponent)"
            let types = try XCTUnwrap(meta.token_type_ids, "\(label): token types recorded")
            if types.allSatisfy({ $0 == 0 }) {
                XCTAssertEqual(try model.tokenize(meta.prompt), meta.token_ids, "\(label): WordPiece token ids")
            }
            let result = try model.transformer.run(meta.token_ids, tokenTypes: types, logits: .none)
            let produced = Set(HookPoint.all(for: model.config).map(\.name))
            var compared = 0
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            where file.hasSuffix(".npy") {
                let hookName = String(file.dropLast(4))
                let expected = try NpyFile.read(from: folder.appendingPathComponent(file))
                guard let hook = HookPoint(name: hookName) else { XCTFail("\(label): unexpected file \(file)"); continue }
                let actual: Tensor
                if case .result(let l) = hook {
                    actual = model.transformer.headResults(layer: l, z: result.cache[.z(l)]!)
                } else {
                    XCTAssertTrue(produced.contains(hookName), "\(label): \(hookName) missing from HookPoint.all")
                    guard let cached = result.cache[hook] else { XCTFail("\(label): no \(hookName) in cache"); continue }
                    actual = cached
                }
                XCTAssertEqual(actual.shape.reduce(1, *), expected.count, "\(label): \(hookName) size")
                assertClose(actual, expected, "\(label): \(hookName)")
                compared += 1
            }
            XCTAssertEqual(compared, 44, "\(label): files compared")
            XCTAssertEqual(compared, meta.hooks.count, "\(label): every recorded hook compared")
            XCTAssertEqual(Set(meta.hooks).filter { !$0.hasSuffix("attn.hook_result") }, produced,
                           "\(label): the cache has exactly TransformerLens's HookedEncoder hooks")
        }
    }
}

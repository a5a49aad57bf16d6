import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest

/// The commands on BERT encoders through the real binary: `run` (token outputs, the sentence
/// embedding), `similarity`, `info`, `dump --hook all` against the transformers goldens
/// (make_bert_goldens.py, make_real_minilm_goldens.py), and the one-line refusals of the commands
/// that need an LM head or causal attention.
final class EncoderCommandTests: XCTestCase {
    private static let tiny = GoldenFixtures.modelFolder("bert-tiny").path
    private static let miniLMGoldens = GoldenFixtures.root.appendingPathComponent("real/all-minilm-l6-v2")

    private func miniLM() throws -> String { try RealModels.require(RealModels.miniLMFolder).path }

    private func miniLMMeta(_ name: String) throws -> [String: Any] {
        try GoldenJSON.object(at: Self.miniLMGoldens.appendingPathComponent("\(name)/meta.json"))
    }

    func testRunJSONOnMiniLMGivesTransformersSentenceEmbedding() throws {
        let model = try miniLM()
        var compared = 0
        for name in ["cat", "hard_string", "kitten", "stocks"] {
            let meta = try miniLMMeta(name)
            let json = try runMechscopeJSONObject(["run", model, "--prompt", meta["prompt"] as! String, "--json"])
            XCTAssertEqual(json["token_ids"] as? [Int], GoldenJSON.ints(meta["token_ids"]), name)
            XCTAssertEqual(json["output_hook"] as? String, "blocks.5.hook_normalized_resid_post")
            let sentence = try XCTUnwrap(json["sentence_embedding"] as? [String: Any], name)
            XCTAssertEqual(sentence["pooling"] as? String, "mean over tokens, L2-normalised")
            XCTAssertEqual(sentence["dimensions"] as? Int, 384)
            XCTAssertEqual(GoldenJSON.number(sentence["norm"]), 1, accuracy: 1e-5)
            assertResidualClose(GoldenJSON.doubles(sentence["values"]).map(Float.init), GoldenJSON.doubles(meta["sentence_embedding"]),
                                "\(name): sentence embedding")
            compared += 1
        }
        XCTAssertEqual(compared, 4)
    }

    /// Each token's summary is the norm and first values of the last block's output, as transformers computes it.
    func testRunTokenOutputsMatchTheLastHook() throws {
        let model = try miniLM()
        let meta = try miniLMMeta("cat")
        let json = try runMechscopeJSONObject(["run", model, "--prompt", meta["prompt"] as! String, "--json"])
        let expected = try NpyFile.read(from: Self.miniLMGoldens.appendingPathComponent("cat/blocks.5.hook_normalized_resid_post.npy"))
        let outputs = try XCTUnwrap(json["token_outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs.count, 9)
        for (p, output) in outputs.enumerated() {
            let row = (0..<384).map { Double(expected.pointer[p * 384 + $0]) }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            XCTAssertEqual(GoldenJSON.number(output["norm"]), norm, accuracy: 1e-4 * norm, "position \(p)")
            assertResidualClose(GoldenJSON.doubles(output["first"]).map(Float.init), Array(row.prefix(6)), "position \(p) first values")
        }
        let text = try MechscopeProcess.run(["run", model, "--prompt", meta["prompt"] as! String])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("9 tokens: [[CLS]][a][cat][sits][on][the][mat][.][[SEP]]\n"), text.stdout)
        XCTAssertTrue(text.stdout.contains("bert encoder: no LM head, so no next-token prediction"), text.stdout)
        XCTAssertTrue(text.stdout.contains("sentence embedding (mean over tokens, L2-normalised): 384 values, norm 1.000000"), text.stdout)
    }

    func testSimilarityMatchesTransformers() throws {
        let model = try miniLM()
        let pairs = try GoldenJSON.object(at: Self.miniLMGoldens.appendingPathComponent("similarity.json"))["pairs"] as! [[String: Any]]
        XCTAssertEqual(pairs.count, 10, "incl. a 562-token text truncated to max_seq_length 256")
        let long = try miniLMMeta("long")["prompt"] as! String
        var compared = 0, withLong = 0
        for pair in pairs {
            let a = pair["a"] as! String, b = pair["b"] as! String
            // The long text is slow in a debug build: one of its pairs goes through the binary.
            if a == long || b == long { withLong += 1; if withLong > 1 { continue } }
            compared += 1
            let json = try runMechscopeJSONObject(["similarity", model, a, b, "--json"])
            XCTAssertEqual(GoldenJSON.number(json["cosine"]), GoldenJSON.number(pair["cosine"]), accuracy: 1e-4, "\(a) / \(b)")
        }
        XCTAssertEqual(compared, 7)
        let text = try MechscopeProcess.run(["similarity", model, "A cat sits on the mat.", "A kitten is resting on a rug."])
        XCTAssertEqual(text.stdout, "cosine similarity 0.6553  (mean over tokens, L2-normalised; 9 tokens and 10 tokens)\n")
        // An unusable text is named: which of the two.
        try assertFailsInOneLine(["similarity", model, "ok", ""], mentions: ["the second text is empty"])
        try assertFailsInOneLine(["similarity", model, "", "ok"], mentions: ["the first text is empty"])
    }

    func testRunOnAPlainBertFolderHasNoSentenceEmbedding() throws {
        let meta = try GoldenFixtures.meta("bert-tiny", "ascii_sentence")
        let json = try runMechscopeJSONObject(["run", Self.tiny, "--prompt", meta.prompt, "--json"])
        XCTAssertEqual(json["token_ids"] as? [Int], meta.token_ids)
        XCTAssertNil(json["sentence_embedding"])
        XCTAssertEqual((json["token_outputs"] as? [Any])?.count, meta.token_ids.count)
        try assertFailsInOneLine(["similarity", Self.tiny, "a", "b"], mentions: [Self.tiny, "not a sentence-transformers folder"])
    }

    func testInfoDescribesTheEncoder() throws {
        let json = try runMechscopeJSONObject(["info", Self.tiny, "--json"])
        XCTAssertEqual(json["model_type"] as? String, "bert")
        XCTAssertEqual(json["block_norm"] as? String, "post-LN")
        XCTAssertEqual(json["causal_attention"] as? Bool, false)
        XCTAssertEqual(json["token_types"] as? Int, 2)
        XCTAssertEqual(json["lm_head"] as? Bool, false)
        XCTAssertEqual(json["encoder"] as? String,
                       "bidirectional attention, post-LN blocks, 2 token types, embedding LayerNorm, no final norm, no LM head")
        XCTAssertNil(json["sentence_pooling"])
        let decoder = try runMechscopeJSONObject(["info", GoldenFixtures.modelFolder("llama-tiny").path, "--json"])
        XCTAssertEqual(decoder["causal_attention"] as? Bool, true)
        XCTAssertEqual(decoder["lm_head"] as? Bool, true)
        XCTAssertNil(decoder["encoder"])
        let miniLM = try runMechscopeJSONObject(["info", try miniLM(), "--json"])
        XCTAssertEqual(miniLM["sentence_pooling"] as? String, "mean over tokens, L2-normalised (sentence-transformers)")
        XCTAssertEqual(miniLM["parameters"] as? Int, 22_565_376, "every tensor but the pooler (not read) and position_ids")
    }

    /// `dump --hook all` writes every HookedEncoder hook (and hook_result) and no logits, equal to transformers'.
    func testDumpAllMatchesTheGoldenHooks() throws {
        let scratch = try ScratchFolder(prefix: "bert-dump")
        defer { scratch.remove() }
        let meta = try GoldenFixtures.meta("bert-tiny", "ascii_sentence")
        let outcome = try MechscopeProcess.run(["dump", Self.tiny, "--prompt", meta.prompt, "--hook", "all", "--out", scratch.url.path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertEqual(outcome.stdout, "wrote 44 arrays for 12 tokens to \(scratch.url.path)\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
        XCTAssertEqual(files, meta.hooks.map { $0 + ".npy" }.sorted())
        let golden = GoldenFixtures.root.appendingPathComponent("cases/bert-tiny/ascii_sentence")
        for file in files {
            assertClose(try NpyFile.read(from: scratch.url.appendingPathComponent(file)),
                        try NpyFile.read(from: golden.appendingPathComponent(file)), file)
        }
        try assertFailsInOneLine(["dump", Self.tiny, "--prompt", "hi", "--hook", "logits", "--out", scratch.url.path],
                                 mentions: ["dump --hook logits", Self.tiny, "no LM head"])
    }

    func testCommandsThatNeedAnLMHeadOrCausalityRefuseInOneLine() throws {
        let m = Self.tiny
        let refusals: [([String], String)] = [
            (["lens", m, "--prompt", "hi"], "no LM head"),
            (["dla", m, "--prompt", "hi", "--answer", "x"], "no LM head"),
            (["patch", m, "--clean", "a b", "--corrupted", "b a", "--answer", "a", "--wrong", "b"], "no LM head"),
            (["ablate", m, "--prompt", "hi", "--answer", "a", "--wrong", "b"], "no LM head"),
            (["bench-lens", m], "no LM head"),
            (["circuit", m, "--head", "L0H0"], "no LM head"),
        ]
        for (args, reason) in refusals {
            try assertFailsInOneLine(args, mentions: ["'\(args[0])'", m, "(bert)", reason, "mechscope run"])
        }
    }

    /// `heads` on an encoder: the scores defined without causality, largest previous-token score first;
    /// MiniLM's L0H2 attends to the previous token (patterns checked against transformers in RealMiniLMTests).
    func testHeadsGivesScoresDefinedWithoutCausality() throws {
        let json = try runMechscopeJSONObject(["heads", try miniLM(), "--prompt", "The cat sat on the mat. The cat sat.", "--json"])
        let heads = try XCTUnwrap(json["heads"] as? [[String: Any]])
        XCTAssertEqual(heads.count, 72)
        XCTAssertEqual(Set(heads[0].keys), ["label", "layer", "head", "previous_token", "duplicate_token", "entropy"])
        XCTAssertEqual(heads[0]["label"] as? String, "L0H2")
        XCTAssertGreaterThan(GoldenJSON.number(heads[0]["previous_token"]), 0.9)
        let prev = heads.map { GoldenJSON.number($0["previous_token"]) }
        XCTAssertEqual(prev, prev.sorted(by: >))
        let text = try MechscopeProcess.run(["heads", Self.tiny, "--prompt", "the quick brown fox"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("bert encoder: bidirectional attention, so no induction scores; no LM head, so no OV copying"))
        XCTAssertEqual(text.stdout.split(separator: "\n")[1], "head      prev-tok   dup-tok   entropy")
        try assertFailsInOneLine(["heads", Self.tiny, "--sort", "induction"], mentions: ["induction scores assume causal attention", Self.tiny])
        try assertFailsInOneLine(["heads", Self.tiny, "--sort", "copying"], mentions: ["OV copying reads the LM head", Self.tiny])
        try assertFailsInOneLine(["heads", Self.tiny, "--composition", "q"], mentions: ["--composition", "LM head", Self.tiny])
    }

    /// `bench-explorer` times an encoder's metrics and pages that apply, and none of the next-token pages.
    func testExplorerBenchOnAnEncoder() throws {
        let outcome = try MechscopeProcess.run(["bench-explorer", Self.tiny, "--prompt", "the quick brown fox", "--keys", "4"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let metrics = lines.compactMap { line in ["prev-token", "dup-token", "entropy", "induction", "ov-copying", "dla"]
            .first { line.hasPrefix($0 + " ") } }
        XCTAssertEqual(metrics, ["prev-token", "dup-token", "entropy"])
        let pages = lines.compactMap { line in ["head atlas", "attention head", "layer heads", "MLP neurons", "neuron ",
                                                "embedding", "logit lens", "next token", "attribution"].first { line.hasPrefix($0) } }
        XCTAssertEqual(pages, ["head atlas", "attention head", "layer heads", "MLP neurons", "neuron ", "embedding"])
    }

    /// The explorer's views as `snapshot` prints them: the atlas by previous-token score, and one line
    /// on a page that reads next-token logits.
    func testSnapshotShowsEncoderViews() throws {
        let outcome = try MechscopeProcess.run(["snapshot", Self.tiny, "--prompt", "the quick brown fox",
                                                "--view", "atlas", "--view", "lens"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(outcome.stdout.contains("Head atlas — previous-token score (detect_head, on the prompt)"), outcome.stdout)
        XCTAssertTrue(outcome.stdout.contains("== :lens\nLogit lens does not apply: a bert encoder has no LM head (no next-token logits)\n"),
                      outcome.stdout)
        try assertFailsInOneLine(["snapshot", Self.tiny, "--prompt", "hi", "--view", "metric induction"],
                                 mentions: ["induction assumes causal attention"])
    }
}

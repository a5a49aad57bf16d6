import Foundation
import MechTestSupport
import XCTest

/// The Llama, Mistral, Qwen2 and GPT-NeoX folders through the binary: `run` against transformers'
/// next-token probabilities (Tests/golden/make_family_goldens.py), `info`, analyses that do not
/// exist for an architecture, and the one-line errors for configs Mechscope cannot run.
final class FamilyCommandTests: XCTestCase {
    private static let models = ["llama-tiny", "llama3-tiny", "mistral-tiny", "qwen2-tiny", "pythia-tiny", "neox-seq-tiny",
                                 "llama-tiny-bf16", "llama-tiny-sharded"]
    private var scratchFolder: ScratchFolder!

    override func setUpWithError() throws { scratchFolder = try ScratchFolder(prefix: "mechscope-family") }
    override func tearDownWithError() throws { scratchFolder.remove() }

    struct Reference: Decodable {
        struct Candidate: Decodable { let token_id: Int; let logit: Double; let prob: Double }
        struct Run: Decodable { let token_ids: [Int]; let top_k: [Candidate] }
        let plain: Run
    }

    /// `run --prompt-ids` (ids straight in) and `run --prompt` (the folder's tokenizer) on every case.
    func testRunGivesTransformersNextTokenProbabilities() throws {
        var compared = 0
        for model in Self.models {
            let expected = model.hasSuffix("-bf16") || model.hasSuffix("-sharded") ? 1 : 2
            for (folder, meta) in try GoldenFixtures.cases(of: model, expected: expected) {
                let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent("next_token.json")))
                let path = GoldenFixtures.modelFolder(model).path
                for input in [["--prompt-ids", meta.token_ids.map(String.init).joined(separator: " ")], ["--prompt", meta.prompt]] {
                    let json = try runMechscopeJSONObject(["run", path, "--top-k", "10", "--json"] + input)
                    let label = "\(model)/\(folder.lastPathComponent) \(input[0])"
                    XCTAssertEqual(json["token_ids"] as? [Int], reference.plain.token_ids, label)
                    let top = try XCTUnwrap(json["top_k"] as? [[String: Any]], label)
                    XCTAssertEqual(top.map { $0["token_id"] as? Int }, reference.plain.top_k.map(\.token_id), label)
                    for (ours, theirs) in zip(top, reference.plain.top_k) {
                        XCTAssertEqual(GoldenJSON.number(ours["prob"]), theirs.prob, accuracy: 1e-4 * theirs.prob + 1e-8, label)
                        XCTAssertEqual(GoldenJSON.number(ours["logit"]), theirs.logit, accuracy: 1e-4 * abs(theirs.logit) + 1e-5, label)
                    }
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, 2 * (6 * 2 + 2))
    }

    func testInfoDescribesTheArchitecture() throws {
        let llama = try runMechscopeJSONObject(["info", GoldenFixtures.modelFolder("llama3-tiny").path, "--json"])
        XCTAssertEqual(llama["model_type"] as? String, "llama")
        XCTAssertEqual(llama["n_heads"] as? Int, 4)
        XCTAssertEqual(llama["n_kv_heads"] as? Int, 1)
        XCTAssertEqual(llama["d_head"] as? Int, 24)
        XCTAssertEqual(llama["normalization"] as? String, "RMSNorm (eps 1e-06)")
        XCTAssertEqual(llama["positions"] as? String, "rotary (theta 500000.0, 24 dims, llama3 scaling)")
        XCTAssertEqual(llama["mlp"] as? String, "gated silu MLP")
        XCTAssertEqual(llama["tied_embeddings"] as? Bool, true)
        // 512·64 embedding + 2 blocks + final norm 64 (tied, no W_pos).
        let block = 64 + (64 * (4 + 1 + 1) * 24 + (4 + 1 + 1) * 24 + 4 * 24 * 64 + 64) + 64 + 3 * 64 * 96 + 2 * 96 + 64
        XCTAssertEqual(llama["parameters"] as? Int, 512 * 64 + 2 * block + 64)
        let pythia = try runMechscopeJSONObject(["info", GoldenFixtures.modelFolder("pythia-tiny").path, "--json"])
        XCTAssertEqual(pythia["parallel_attn_mlp"] as? Bool, true)
        XCTAssertEqual(pythia["positions"] as? String, "rotary (theta 10000.0, 4 dims)")
        XCTAssertEqual(pythia["normalization"] as? String, "LayerNorm (eps 1e-05)")
    }

    /// The positional QK circuit reads W_pos, which rotary models do not have: one line says so.
    func testCircuitSaysThePositionalPartDoesNotExist() throws {
        let outcome = try MechscopeProcess.run(["circuit", GoldenFixtures.modelFolder("llama-tiny").path, "--head", "1.2",
                                                "--prompt", "The quick brown fox."])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("Positional QK") }
        XCTAssertEqual(lines, ["Positional QK: does not exist for this model (no learned position embedding W_pos)"])
    }

    /// The zero-ablation header says what a processed z of 0 is on the raw weights, naming only the
    /// biases the architecture has (RMSNorm has no ln1.b; llama-tiny has no value bias either).
    func testAblationHeaderNamesOnlyTheBiasesTheArchitectureHas() throws {
        for (model, raw) in [("llama-tiny", "raw z = 0, no value bias to fold"), ("llama3-tiny", "raw z = b_V)"),
                             ("pythia-tiny", "raw z = b_V + ln1.b·W_V)")] {
            let outcome = try MechscopeProcess.run(["ablate", GoldenFixtures.modelFolder(model).path, "--prompt", "The quick brown fox",
                                                    "--answer", "#5", "--wrong", "#6"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let header = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("ablation") }
            XCTAssertEqual(header.count, 1, model)
            XCTAssertTrue(header.first?.contains(raw) == true, "\(model): \(header)")
        }
    }

    // MARK: - Bad input

    private func copy(_ model: String) throws -> ModelFolderCopy {
        try ModelFolderCopy(of: GoldenFixtures.modelFolder(model), in: scratchFolder.url)
    }

    func testUnknownModelType() throws {
        let folder = try copy("llama-tiny")
        try folder.editConfig(["model_type": "falcon"])
        try assertFailsInOneLine(["info", folder.path], mentions: ["config.json", "unknown model_type 'falcon'", "llama"])
    }

    func testKeyValueHeadsContradictTheWeights() throws {
        let folder = try copy("llama-tiny")
        try folder.editConfig(["num_key_value_heads": 4])
        try assertFailsInOneLine(["run", folder.path, "--prompt", "hi"],
                                 mentions: ["model.layers.0.self_attn.k_proj.weight", "[32, 64]", "[64, 64]"])
    }

    func testHeadDimContradictsTheWeights() throws {
        let folder = try copy("qwen2-tiny")
        try folder.editConfig(["head_dim": 8])
        try assertFailsInOneLine(["info", folder.path], mentions: ["q_proj", "[32, 64]"])
    }

    func testUnsupportedRopeScalingType() throws {
        let folder = try copy("llama-tiny")
        try folder.editConfig(["rope_parameters": ["rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0]])
        try assertFailsInOneLine(["run", folder.path, "--prompt", "hi"], mentions: ["config.json", "'yarn'", "llama3"])
    }

    func testHeadsThatDoNotDivideIntoKeyValueGroups() throws {
        let folder = try copy("mistral-tiny")
        try folder.editConfig(["num_key_value_heads": 3])
        try assertFailsInOneLine(["info", folder.path], mentions: ["num_key_value_heads", "(3)", "(4)"])
    }

    /// A config that declares fewer layers than the checkpoint holds would drop blocks silently.
    func testMoreBlocksThanTheConfigDeclares() throws {
        for (model, key, tensor) in [("llama-tiny", "num_hidden_layers", "model.layers.1."), ("pythia-tiny", "num_hidden_layers", "gpt_neox.layers.1."),
                                     ("gpt2-tiny-a", "n_layer", "h.1.")] {
            let folder = try copy(model)
            try folder.editConfig([key: 1])
            try assertFailsInOneLine(["run", folder.path, "--prompt", "hi"],
                                     mentions: [tensor, "beyond the 1 layer the config declares", "contradicts the weights"])
        }
    }

    /// Tensors the checkpoint holds and no loader reads are listed by `info` (transformers' "unexpected
    /// keys"), never silently: a stray one, GPT-2's saved causal-mask buffers, BERT's pooler.
    func testInfoListsTensorsNothingReads() throws {
        let folder = try copy("llama-tiny")
        try folder.replace("model.stray.weight", shape: [2], values: [1, 2])
        let json = try runMechscopeJSONObject(["info", folder.path, "--json"])
        XCTAssertEqual(json["unread_tensors"] as? [String], ["model.stray.weight"])
        let text = try MechscopeProcess.run(["info", folder.path]).stdout
        XCTAssertTrue(text.contains("unread     1 tensor in the weight files no part of the model reads: model.stray.weight\n"), text)
        for (model, unread) in [("gpt2-tiny-b", ["h.0.attn.bias", "h.1.attn.bias", "h.2.attn.bias"]),
                                ("bert-tiny", ["pooler.dense.bias", "pooler.dense.weight"]), ("llama-tiny", [])] {
            let info = try runMechscopeJSONObject(["info", GoldenFixtures.modelFolder(model).path, "--json"])
            XCTAssertEqual(info["unread_tensors"] as? [String], unread, model)
        }
    }

    /// Llama 3's rotary scaling as transformers 4.x configs write it (`rope_theta` at the top level, the
    /// rest under `rope_scaling` with `type`), read to the same numbers as the golden's `rope_parameters`.
    func testLlama3RopeScalingAsTransformers4WritesIt() throws {
        let folder = try copy("llama3-tiny")
        try folder.editConfig(["rope_theta": 500000.0,
                               "rope_scaling": ["type": "llama3", "factor": 8.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                                                "original_max_position_embeddings": 32]],
                              removing: ["rope_parameters"])
        var compared = 0
        for (caseFolder, meta) in try GoldenFixtures.cases(of: "llama3-tiny", expected: 2) {
            let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: caseFolder.appendingPathComponent("next_token.json")))
            let json = try runMechscopeJSONObject(["run", folder.path, "--top-k", "5", "--json", "--prompt-ids",
                                                   meta.token_ids.map(String.init).joined(separator: " ")])
            let top = try XCTUnwrap(json["top_k"] as? [[String: Any]])
            XCTAssertEqual(top.map { $0["token_id"] as? Int }, reference.plain.top_k.prefix(5).map(\.token_id))
            for (ours, theirs) in zip(top, reference.plain.top_k) {
                XCTAssertEqual(GoldenJSON.number(ours["logit"]), theirs.logit, accuracy: 1e-4 * abs(theirs.logit) + 1e-5)
            }
            compared += 1
        }
        XCTAssertEqual(compared, 2)
        let info = try runMechscopeJSONObject(["info", folder.path, "--json"])
        XCTAssertEqual(info["positions"] as? String, "rotary (theta 500000.0, 24 dims, llama3 scaling)")
    }

    /// A tokenizer.json component Mechscope does not implement is named in one line, with where it sits.
    func testTokenizerComponentNotImplemented() throws {
        let folder = try copy("llama3-tiny")
        try folder.editJSON("tokenizer.json") { $0["normalizer"] = ["type": "Precompiled", "precompiled_charsmap": "AAAA"] }
        try assertFailsInOneLine(["run", folder.path, "--prompt", "hi"], mentions: ["tokenizer.json", "Precompiled"])
        // Prompt ids need no tokenizer: the model itself still runs.
        let outcome = try MechscopeProcess.run(["run", folder.path, "--prompt-ids", "1 2 3"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
    }

    /// A non-positive epsilon or MLP width is refused where it is read, not found later as NaN at ln1.hook_scale.
    func testNonPositiveEpsilonsAndWidthsAreRefused() throws {
        for (model, key, value) in [("llama-tiny", "rms_norm_eps", -1.0), ("pythia-tiny", "layer_norm_eps", 0.0),
                                    ("gpt2-tiny-a", "layer_norm_epsilon", -1.0), ("gpt2-tiny-a", "n_inner", -5.0)] {
            let folder = try ModelFolderCopy(of: GoldenFixtures.modelFolder(model), in: scratchFolder.url, name: "\(model)-\(key)")
            try folder.editConfig([key: key == "n_inner" ? -5 as Any : value as Any])
            try assertFailsInOneLine(["info", folder.path], mentions: ["config.json", "'\(key)' must be"])
        }
    }

    func testPromptIDsOutsideTheVocabulary() throws {
        try assertFailsInOneLine(["run", GoldenFixtures.modelFolder("pythia-tiny").path, "--prompt-ids", "5 512"],
                                 mentions: ["512", "vocabulary of 512"])
    }
}

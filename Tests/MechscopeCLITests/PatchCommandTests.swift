import Foundation
import MechTestSupport
import XCTest

/// `mechscope patch` and `mechscope ablate` against the TransformerLens 4 goldens
/// (Tests/golden/analysis/patching/), and their one-line errors.
final class PatchCommandTests: XCTestCase {
    private let goldenFolder = MechscopeProcess.repositoryRoot.appendingPathComponent("Tests/golden/analysis/patching")

    private func golden(_ model: String) throws -> [String: Any] {
        let data = try Data(contentsOf: goldenFolder.appendingPathComponent("\(model).json"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    private func runJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try runMechscopeJSONObject(args, file: file, line: line)
    }

    private func floats(_ value: Any?) -> [[Double]] {
        (value as? [[NSNumber]] ?? []).map { $0.map(\.doubleValue) }
    }

    /// Ratios and logit differences of order 1: 1e-4 relative to max(1, |reference|).
    private func assertGridsEqual(_ ours: [[Double]], _ reference: [[Double]], _ label: String,
                                  file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ours.map(\.count), reference.map(\.count), label, file: file, line: line)
        for (a, b) in zip(ours.joined(), reference.joined()) {
            XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b)), label, file: file, line: line)
        }
    }

    func testPatchJSONGivesTransformerLensGrids() throws {
        let g = try golden("gpt2-tiny-a")
        let json = try runJSON(["patch", MechscopeProcess.goldenModel("gpt2-tiny-a").path,
                                "--clean", g["clean"] as! String, "--corrupted", g["corrupted"] as! String,
                                "--answer", g["answer"] as! String, "--wrong", g["wrong"] as! String, "--json"])
        XCTAssertEqual(json["direction"] as? String, "denoising")
        XCTAssertEqual((json["clean"] as? [String: Any])?["token_ids"] as? [Int], g["clean_tokens"] as? [Int])
        XCTAssertEqual((json["corrupted"] as? [String: Any])?["token_ids"] as? [Int], g["corrupted_tokens"] as? [Int])
        XCTAssertEqual((json["answer"] as? [String: Any])?["token_id"] as? Int, g["answer_id"] as? Int)
        XCTAssertEqual(json["first_difference"] as? Int, 14)
        assertGridsEqual([[json["clean_logit_diff"], json["corrupted_logit_diff"]].map { ($0 as! NSNumber).doubleValue }],
                         [[g["clean_logit_diff"], g["corrupted_logit_diff"]].map { ($0 as! NSNumber).doubleValue }], "diffs")
        let grids = json["grids"] as! [String: [String: Any]]
        let reference = g["denoising"] as! [String: Any]
        XCTAssertEqual(Set(grids.keys), ["resid_pre", "attn_out", "mlp_out", "heads"])
        for (name, grid) in grids {
            assertGridsEqual(floats(grid["normalized"]), floats(reference[name]), name)
            XCTAssertEqual(grid["axes"] as? [String], ["layer", name == "heads" ? "head" : "pos"])
        }
        // The raw patched differences are the normalised values scaled back.
        let clean = (json["clean_logit_diff"] as! NSNumber).doubleValue, corrupted = (json["corrupted_logit_diff"] as! NSNumber).doubleValue
        let heads = grids["heads"]!
        for (n, p) in zip(floats(heads["normalized"]).joined(), floats(heads["patched_logit_diff"]).joined()) {
            XCTAssertEqual(n, (p - corrupted) / (clean - corrupted), accuracy: 1e-5)
        }
    }

    func testNoisingWithBOSGivesTransformerLensGrids() throws {
        let g = try golden("gpt2-tiny-b")
        let json = try runJSON(["patch", MechscopeProcess.goldenModel("gpt2-tiny-b").path,
                                "--clean", g["clean"] as! String, "--corrupted", g["corrupted"] as! String,
                                "--answer", "#\(g["answer_id"] as! Int)", "--wrong", g["wrong"] as! String,
                                "--prepend-bos", "--direction", "noising", "--what", "resid_pre", "--json"])
        XCTAssertEqual(json["direction"] as? String, "noising")
        XCTAssertEqual((json["clean"] as? [String: Any])?["token_ids"] as? [Int], g["clean_tokens"] as? [Int])
        let grids = json["grids"] as! [String: [String: Any]]
        XCTAssertEqual(Array(grids.keys), ["resid_pre"])
        assertGridsEqual(floats(grids["resid_pre"]?["normalized"]), floats((g["noising"] as! [String: Any])["resid_pre"]), "noising")
    }

    /// Noising grids of the attention and MLP outputs (`--what attn_out|mlp_out`), with and without BOS.
    func testNoisingAttentionAndMLPOutputGridsMatchTransformerLens() throws {
        var compared = 0
        for model in ["gpt2-tiny-a", "gpt2-tiny-b"] {
            let g = try golden(model)
            for what in ["attn_out", "mlp_out"] {
                let json = try runJSON(["patch", MechscopeProcess.goldenModel(model).path,
                                        "--clean", g["clean"] as! String, "--corrupted", g["corrupted"] as! String,
                                        "--answer", g["answer"] as! String, "--wrong", g["wrong"] as! String,
                                        "--direction", "noising", "--what", what, "--json"]
                                       + ((g["prepend_bos"] as! Bool) ? ["--prepend-bos"] : []))
                XCTAssertEqual(json["direction"] as? String, "noising")
                XCTAssertEqual((json["clean"] as? [String: Any])?["token_ids"] as? [Int], g["clean_tokens"] as? [Int])
                let grids = json["grids"] as! [String: [String: Any]]
                XCTAssertEqual(Array(grids.keys), [what])
                let reference = floats((g["noising"] as! [String: Any])[what])
                XCTAssertEqual(reference.count, model == "gpt2-tiny-a" ? 2 : 3, "\(model) \(what) reference layers")
                assertGridsEqual(floats(grids[what]?["normalized"]), reference, "\(model) noising \(what)")
                XCTAssertEqual(grids[what]?["axes"] as? [String], ["layer", "pos"])
                compared += 1
            }
        }
        XCTAssertEqual(compared, 4)
    }

    func testPatchTextShowsTheGrids() throws {
        let g = try golden("gpt2-tiny-a")
        let outcome = try MechscopeProcess.run(["patch", MechscopeProcess.goldenModel("gpt2-tiny-a").path,
                                                "--clean-ids", (g["clean_tokens"] as! [Int]).map(String.init).joined(separator: ","),
                                                "--corrupted-ids", (g["corrupted_tokens"] as! [Int]).map(String.init).joined(separator: ","),
                                                "--answer", g["answer"] as! String, "--wrong", g["wrong"] as! String,
                                                "--what", "heads"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("corrupted  differs at position 14 (' values' → ' inform')") }, outcome.stdout)
        XCTAssertTrue(lines.contains { $0.contains("corrupted tokens run with clean activations patched in") })
        // heads L0H1 restores 0.894 of the clean difference in TransformerLens.
        let row = lines.first { $0.hasPrefix("L0 ") } ?? ""
        XCTAssertEqual(row.split(separator: " ").dropFirst().compactMap { Double($0) }.count, 4, row)
        XCTAssertEqual(Double(row.split(separator: " ")[2]) ?? 0, 0.894, accuracy: 0.0005, row)
    }

    func testPatchErrorsAreOneLine() throws {
        let model = MechscopeProcess.goldenModel("gpt2-tiny-a").path
        try assertFailsInOneLine(["patch", model, "--clean", "the model and the heads", "--corrupted", "the heads",
                                  "--answer", " model", "--wrong", " heads"],
                                 mentions: ["clean prompt is 6 tokens", "corrupted prompt 3"])
        try assertFailsInOneLine(["patch", model, "--clean", "a b", "--corrupted", "a c", "--answer", " informs", "--wrong", " heads"],
                                 mentions: ["--answer ' informs' is 2 tokens", "' inform'", "(ids 499 "])
        try assertFailsInOneLine(["patch", model, "--clean", "a b", "--corrupted", "a c", "--answer", "#512", "--wrong", " heads"],
                                 mentions: ["--answer #512", "vocabulary of 512"])
        try assertFailsInOneLine(["patch", model, "--clean", "a b", "--corrupted", "a b", "--answer", "#5", "--wrong", "#6"],
                                 mentions: ["same logit difference"])
        try assertFailsInOneLine(["patch", model, "--clean-ids", "1,x", "--corrupted-ids", "1,2", "--answer", "#5", "--wrong", "#6"],
                                 mentions: ["--clean-ids", "'x'"])
    }

    func testAblateJSONGivesTransformerLensEffects() throws {
        let g = try golden("gpt2-tiny-a")
        let ablation = g["ablation"] as! [String: Any]
        let base = ["ablate", MechscopeProcess.goldenModel("gpt2-tiny-a").path, "--prompt", g["clean"] as! String,
                    "--answer", g["answer"] as! String, "--wrong", g["wrong"] as! String, "--json"]
        let zero = try runJSON(base)
        XCTAssertEqual(zero["unit"] as? String, "head")
        XCTAssertEqual(zero["mode"] as? String, "zero")
        let effects = zero["effects"] as! [[String: Any]]
        let reference = ablation["heads_zero"] as! [String: Any]
        assertGridsEqual([effects.map { ($0["logit_diff"] as! NSNumber).doubleValue }],
                         [floats(reference["logit_diff"]).flatMap { $0 }], "zero-ablation logit diffs")
        assertGridsEqual([effects.map { ($0["loss"] as! NSNumber).doubleValue }],
                         [floats(reference["loss"]).flatMap { $0 }], "zero-ablation losses")
        XCTAssertEqual(effects.map { $0["head"] as? Int }, [0, 1, 2, 3, 0, 1, 2, 3])

        let neurons = try runJSON(base + ["--neurons", "1", "--mean"])
        let neuronEffects = neurons["effects"] as! [[String: Any]]
        let neuronReference = ablation["neurons_mean"] as! [String: Any]
        XCTAssertEqual(neuronEffects.count, 256)
        XCTAssertEqual(neuronEffects[17]["neuron"] as? Int, 17)
        assertGridsEqual([neuronEffects.map { ($0["logit_diff"] as! NSNumber).doubleValue }],
                         [(neuronReference["logit_diff"] as! [NSNumber]).map(\.doubleValue)], "neuron mean-ablation")
    }

    /// Every neuron of each model's last block, zero- and mean-ablated through the binary (the rank-one
    /// path, no forward pass per neuron): logit differences and losses equal TransformerLens's.
    func testNeuronAblationThroughTheBinaryGivesTransformerLensLossesForEveryNeuron() throws {
        for name in ["gpt2-tiny-a", "gpt2-tiny-b"] {
            let g = try golden(name)
            let ablation = g["ablation"] as! [String: Any]
            for (mode, key) in [("zero", "neurons_zero"), ("mean", "neurons_mean")] {
                let reference = ablation[key] as! [String: Any]
                let layer = reference["layer"] as! Int
                let json = try runJSON(["ablate", MechscopeProcess.goldenModel(name).path, "--prompt", g["clean"] as! String,
                                        "--answer", g["answer"] as! String, "--wrong", g["wrong"] as! String,
                                        "--neurons", "\(layer)", "--json"] + (mode == "mean" ? ["--mean"] : [])
                                       + (g["prepend_bos"] as? Bool == true ? ["--prepend-bos"] : []))
                XCTAssertEqual(json["token_ids"] as? [Int], g["clean_tokens"] as? [Int])
                let effects = json["effects"] as! [[String: Any]]
                let diffs = (reference["logit_diff"] as! [NSNumber]).map(\.doubleValue)
                let losses = (reference["loss"] as! [NSNumber]).map(\.doubleValue)
                XCTAssertEqual(effects.count, diffs.count, "\(name) \(mode)")
                XCTAssertEqual(effects.map { $0["neuron"] as! Int }, Array(0..<diffs.count))
                assertGridsEqual([effects.map { ($0["logit_diff"] as! NSNumber).doubleValue }], [diffs], "\(name) \(mode) diffs")
                assertGridsEqual([effects.map { ($0["loss"] as! NSNumber).doubleValue }], [losses], "\(name) \(mode) losses")
            }
        }
    }

    func testAblateErrorsAreOneLine() throws {
        let model = MechscopeProcess.goldenModel("gpt2-tiny-a").path
        try assertFailsInOneLine(["ablate", model, "--prompt", "the model", "--answer", " model", "--wrong", " heads", "--neurons", "5"],
                                 mentions: ["layer 5", "0…1"])
        try assertFailsInOneLine(["ablate", model, "--prompt", "the model", "--answer", "#x", "--wrong", " heads"],
                                 mentions: ["--answer '#x'"])
    }
}

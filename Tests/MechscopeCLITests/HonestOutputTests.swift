import Foundation
import MechTestSupport
import XCTest

/// Messages that say what is really wrong, and text that matches the model: raw token text in
/// JSON, no LayerNorm claimed where there is none, singular counts, consistent rank conventions.
final class HonestOutputTests: XCTestCase {
    private let modadd = ModelFolderCopy.sample("modadd-1l").path

    private func run(_ args: [String]) throws -> MechscopeProcess.Outcome {
        let outcome = try MechscopeProcess.run(args)
        XCTAssertFalse(outcome.crashed, outcome.stderr)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return outcome
    }

    private func json(_ args: [String]) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(run(args).stdout.utf8)) as! [String: Any]
    }

    func testRunJSONGivesRawTokenTextAndTheDisplayFormSeparately() throws {
        let report = try json(["run", "--prompt", "a\nb\tc", "--json"])
        let tokens = report["tokens"] as! [String], display = report["display_tokens"] as! [String]
        XCTAssertEqual(tokens.joined(), "<|endoftext|>a\nb\tc", "the sample's tokenizer puts its BOS first")
        XCTAssertTrue(tokens.contains("\n"), "\(tokens)")
        XCTAssertTrue(display.contains("\\n") && display.contains("\\t"), "\(display)")
        XCTAssertFalse(display.joined().contains("\n"))
        XCTAssertEqual(tokens.count, (report["token_ids"] as! [Int]).count)
        let top = report["top_k"] as! [[String: Any]]
        XCTAssertNotNil(top[0]["display_token"] as? String)
    }

    func testPromptsFileWithOnlyBlankLinesSaysSo() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mechscope-blank-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let model = try ModelFolderCopy(of: ModelFolderCopy.sample("induction-2l"), in: scratch)
        try Data("\n   \n\n".utf8).write(to: model.url.appendingPathComponent("prompts.txt"))
        try assertFailsInOneLine(["run", model.path], mentions: ["prompts.txt has only blank lines", "--prompt"])
        try FileManager.default.removeItem(at: model.url.appendingPathComponent("prompts.txt"))
        try assertFailsInOneLine(["run", model.path], mentions: ["has no prompts.txt", "--prompt"])
    }

    func testBenchOnAToyModelSaysBenchNeedsATransformer() throws {
        try assertFailsInOneLine(["bench", ModelFolderCopy.sample("superposition-toy").path],
                                 mentions: ["bench times a transformer", "toy superposition model", "mechscope features"])
    }

    /// modadd-1l's 3 positions cannot hold a repeated random sequence: every other score is shown,
    /// that column is n/a (null in JSON, the key present).
    func testHeadsShowsWhatItCanWithoutARepeatedSequence() throws {
        let text = try run(["heads", modadd]).stdout
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 + 4, text)
        XCTAssertTrue(lines[0].contains("1 layer × 4 heads"), String(lines[0]))
        XCTAssertTrue(lines[0].contains("ind-rand n/a"), String(lines[0]))
        for row in lines.dropFirst(2) {
            let cells = row.split(separator: " ")
            XCTAssertEqual(cells.count, 7, String(row))
            XCTAssertEqual(cells[4], "n/a", String(row))
            XCTAssertNotNil(Double(cells[1]), String(row))
            XCTAssertNotNil(Double(cells[6]), String(row))
        }
        let report = try json(["heads", modadd, "--json"])
        XCTAssertTrue(report["repeated_sequence"] is NSNull)
        XCTAssertTrue((report["repeated_sequence_unavailable"] as? String ?? "").contains("too short"))
        let heads = report["heads"] as! [[String: Any]]
        XCTAssertEqual(heads.count, 4)
        for h in heads {
            XCTAssertTrue(h["repeated_induction"] is NSNull, "explicit null: \(h)")
            XCTAssertNotNil(h["previous_token"] as? Double)
            XCTAssertNotNil(h["ov_copying"] as? Double)
        }
    }

    func testOneLayerModelsAreDescribedInTheSingular() throws {
        let info = try run(["info", modadd]).stdout
        XCTAssertTrue(info.contains("shape      1 layer × 4 heads"), info)
        let composition = try run(["heads", modadd, "--composition", "q"]).stdout
        XCTAssertFalse(composition.contains("0–-1"), composition)
        XCTAssertTrue(composition.contains("one layer, so no head reads an earlier head's output"), composition)
        XCTAssertEqual(composition.split(separator: "\n").count, 1)
    }

    func testNoFinalLayerNormIsClaimedForAModelWithout() throws {
        let lens = try run(["lens", modadd]).stdout
        XCTAssertTrue(lens.contains("no final normalization (the model has none)"), lens)
        XCTAssertFalse(lens.contains("final LayerNorm recomputed"), lens)
        let dla = try json(["dla", modadd, "--answer", "#3", "--json"])
        XCTAssertEqual(dla["layer_norm"] as? String, "none (the model has no final normalization)")
        let withLN = try json(["dla", "--answer", " t", "--json"])
        XCTAssertTrue((withLN["layer_norm"] as? String ?? "").hasPrefix("cached final LayerNorm scale"))
        // A Llama-family model names its RMSNorm.
        let llama = GoldenFixtures.root.appendingPathComponent("models/llama-tiny").path
        let rms = try json(["dla", llama, "--prompt", "Hello world", "--answer", "#3", "--json"])
        XCTAssertTrue((rms["layer_norm"] as? String ?? "").hasPrefix("cached final RMSNorm scale"), "\(rms["layer_norm"] ?? "nil")")
        let rmsLens = try run(["lens", llama, "--prompt", "Hello world"]).stdout
        XCTAssertTrue(rmsLens.contains("final RMSNorm recomputed per layer"), rmsLens)
    }

    /// lens prints ranks from 1 like run (and says so); JSON keeps TransformerLens's 0-based rank.
    func testLensRanksCountFromOneInTextAndTheHeaderSaysSo() throws {
        let text = try run(["lens", "--target", "#5"]).stdout
        XCTAssertTrue(text.contains("target ranks count from 1 (1 = the top token"), text)
        let report = try json(["lens", "--target", "#5", "--json"])
        let layers = report["layers"] as! [[String: Any]]
        let lines = text.split(separator: "\n").filter { $0.contains("target rank ") }
        XCTAssertEqual(lines.count, layers.count)
        for (line, layer) in zip(lines, layers) {
            let rank = (layer["target"] as! [String: Any])["rank"] as! Int
            XCTAssertTrue(line.contains("target rank \(rank + 1),"), "\(line) vs JSON rank \(rank)")
        }
        // The top token itself is rank 1 in text, 0 in JSON.
        let top = (layers.last!["top_k"] as! [[String: Any]])[0]["token_id"] as! Int
        let topText = try run(["lens", "--target", "#\(top)"]).stdout
        XCTAssertTrue(topText.split(separator: "\n").last!.contains("target rank 1,"), topText)
    }

    func testNeuronAblationHeaderDescribesNeurons() throws {
        let model = MechscopeProcess.goldenModel("gpt2-tiny-a").path
        let zero = try run(["ablate", model, "--prompt", "the model", "--answer", " model", "--wrong", " heads",
                            "--neurons", "1", "--top", "3"]).stdout
        XCTAssertTrue(zero.contains("ablation   each neuron of layer 1: its activation (mlp.hook_post) set to 0 at every position"), zero)
        XCTAssertFalse(zero.contains(" z "), zero)
        let heads = try run(["ablate", model, "--prompt", "the model", "--answer", " model", "--wrong", " heads"]).stdout
        XCTAssertTrue(heads.contains("ablation   each head: zero (TransformerLens's processed z = 0"), heads)
    }

    /// Bare `mechscope` is the explorer, so its help names where the explorer's diagnostics go.
    func testTopLevelHelpNamesTheExplorerLogFile() throws {
        for args in [["--help"], ["explore", "--help"]] {
            let help = try run(args).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertTrue(help.contains("$MECHSCOPE_LOG, else $TMPDIR/mechscope-explorer.log"), "\(args): \(help)")
        }
    }

    /// Every option `snapshot --help` mentions is one it takes (it used to describe a `--keys`).
    func testSnapshotHelpMentionsOnlyItsOwnOptions() throws {
        let help = try run(["snapshot", "--help"]).stdout
        let declared = Set(help.split(separator: "\n").filter { $0.hasPrefix("  -") }.flatMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" }).filter { $0.hasPrefix("--") }.map(String.init)
        })
        XCTAssertTrue(declared.isSuperset(of: ["--view", "--prompt", "--width", "--height", "--full", "--present"]), "\(declared)")
        let regex = try NSRegularExpression(pattern: "--[a-z][a-z-]*")
        let mentioned = Set(regex.matches(in: help, range: NSRange(help.startIndex..., in: help)).map {
            String(help[Range($0.range, in: help)!])
        })
        XCTAssertEqual(mentioned.subtracting(declared), [], help)
        XCTAssertFalse(help.contains("--keys"), help)
    }

    func testFeaturesDefaultsToTheToySampleItsHelpNames() throws {
        let help = try run(["features", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(help.contains("(default: the superposition-toy sample)"), help)
        XCTAssertFalse(help.contains("induction"), help)
        let rows = try JSONSerialization.jsonObject(with: Data(run(["features", "--json"]).stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.count, 20)
        // Ordinary values keep three decimals (scientific notation is only for values too wide).
        let text = try run(["features"]).stdout.split(separator: "\n")
        XCTAssertTrue(text[0].hasSuffix("Σ‖W_i‖² = 18.987"), String(text[0]))
        XCTAssertTrue(text[2].hasPrefix("      0      1.0000   1.127         2.477           0.339  -0.237  "), String(text[2]))
    }

    /// `> /dev/full`: the write fails when standard output is flushed; before, the exit status was 0.
    func testAFailedWriteToStandardOutputIsAnError() throws {
        let outcome = try MechscopeProcess.run(["sh", "-c", "exec \"$1\" info > /dev/full", "sh", MechscopeProcess.binary.path],
                                               executable: "/usr/bin/env")
        XCTAssertEqual(outcome.status, 1, outcome.stderr)
        XCTAssertEqual(outcome.stderr, "Error: cannot write to standard output: No space left on device\n")
        // Help is output too.
        let help = try MechscopeProcess.run(["sh", "-c", "exec \"$1\" --help > /dev/full", "sh", MechscopeProcess.binary.path],
                                            executable: "/usr/bin/env")
        XCTAssertEqual(help.status, 1, help.stderr)
        XCTAssertEqual(help.stderr, "Error: cannot write to standard output: No space left on device\n")
    }
}

import Foundation
import MechTestSupport
import XCTest

/// The commands' output, checked against the golden reference files.
final class CommandOutputTests: XCTestCase {
    private let golden = MechscopeProcess.repositoryRoot.appendingPathComponent("Tests/golden")

    private func meta(_ model: String, _ caseName: String) throws -> [String: Any] {
        let url = golden.appendingPathComponent("cases/\(model)/\(caseName)/meta.json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    func testRunJSONGivesTheReferenceTokensAndTopToken() throws {
        let m = try meta("gpt2-tiny-b", "unicode_mixed")
        let outcome = try MechscopeProcess.run(["run", MechscopeProcess.goldenModel("gpt2-tiny-b").path,
                                                "--prompt", m["prompt"] as! String, "--top-k", "5", "--json"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["token_ids"] as? [Int], m["token_ids"] as? [Int])
        let top = json["top_k"] as! [[String: Any]]
        XCTAssertEqual(top.count, 5)
        // The reference's argmax of the last position's logits is the first candidate.
        let logits = try NpyReader.floats(golden.appendingPathComponent("cases/gpt2-tiny-b/unicode_mixed/logits.npy"))
        let vocab = 512, last = logits.count / vocab - 1
        let row = Array(logits[(last * vocab)..<((last + 1) * vocab)])
        XCTAssertEqual(top[0]["token_id"] as? Int, row.indices.max { row[$0] < row[$1] })
        let probs = top.map { ($0["prob"] as! NSNumber).doubleValue }
        XCTAssertEqual(probs, probs.sorted(by: >))
        XCTAssertTrue(probs.allSatisfy { $0 > 0 && $0 < 1 })
    }

    func testPrependBOSPutsTheBOSTokenFirst() throws {
        let outcome = try MechscopeProcess.run(["run", MechscopeProcess.goldenModel("gpt2-tiny-a").path,
                                                "--prompt", "hello", "--prepend-bos", "--json"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((json["token_ids"] as! [Int]).first, 511)  // <|endoftext|>
        XCTAssertEqual((json["tokens"] as! [String]).first, "<|endoftext|>")
    }

    func testInfoJSONDescribesTheModel() throws {
        let outcome = try MechscopeProcess.run(["info", MechscopeProcess.goldenModel("gpt2-tiny-b").path, "--json"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
        XCTAssertEqual(json["n_layers"] as? Int, 3)
        XCTAssertEqual(json["n_heads"] as? Int, 5)
        XCTAssertEqual(json["d_head"] as? Int, 12)
        XCTAssertEqual(json["d_mlp"] as? Int, 240)
        XCTAssertEqual(json["activation"] as? String, "gelu")
        // wte 512·60 + wpe 32·60 + 3 blocks · (2·60 + 60·180 + 180 + 60·60 + 60 + 2·60 + 60·240 + 240 + 240·60 + 60) + ln_f 120
        XCTAssertEqual(json["parameters"] as? Int, 30720 + 1920 + 3 * 43_980 + 120)
        XCTAssertTrue((json["openblas"] as? String ?? "").contains("threads"))
    }

    func testDumpWritesNpyFilesEqualToTheReference() throws {
        let m = try meta("gpt2-tiny-a", "ascii_sentence")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mechscope-dump-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        let hooks = ["blocks.1.attn.hook_pattern", "blocks.0.attn.hook_result", "blocks.1.mlp.hook_post", "logits"]
        let outcome = try MechscopeProcess.run(["dump", MechscopeProcess.goldenModel("gpt2-tiny-a").path,
                                                "--prompt", m["prompt"] as! String, "--out", out.path]
                                               + hooks.flatMap { ["--hook", $0] })
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        for hook in hooks {
            let ours = try NpyReader.floats(out.appendingPathComponent("\(hook).npy"))
            let reference = try NpyReader.floats(golden.appendingPathComponent("cases/gpt2-tiny-a/ascii_sentence/\(hook).npy"))
            XCTAssertEqual(ours.count, reference.count, hook)
            let scale = reference.map(abs).max()!
            for (a, b) in zip(ours, reference) {
                XCTAssertEqual(a, b, accuracy: 1e-4 * abs(b) + 1e-5 * scale, hook)
            }
        }
        let header = try NpyReader.header(out.appendingPathComponent("blocks.1.attn.hook_pattern.npy"))
        XCTAssertTrue(header.contains("'shape': (4, \(m["token_ids"].map { ($0 as! [Int]).count }!), "), header)
    }

    /// `dump --hook all` writes exactly the hooks `transformers` recorded (every hook plus logits,
    /// hook_result included), each equal to the reference; on the 230-token prompt the reference keeps
    /// rows at both sides of the 128-row attention query block boundary.
    func testDumpAllWritesEveryHookEqualToTheReference() throws {
        var compared = 0
        for (model, caseName) in [("gpt2-tiny-a", "ascii_sentence"), ("gpt2-tiny-b", "max_context"), ("gpt2-tiny-c", "long_prompt")] {
            let caseFolder = golden.appendingPathComponent("cases/\(model)/\(caseName)")
            let m = try GoldenFixtures.meta(model, caseName)
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("mechscope-dump-all-\(UUID())")
            defer { try? FileManager.default.removeItem(at: out) }
            let outcome = try MechscopeProcess.run(["dump", MechscopeProcess.goldenModel(model).path, "--prompt", m.prompt,
                                                    "--hook", "all", "--out", out.path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let written = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".npy") }
            XCTAssertEqual(Set(written), Set(m.hooks.map { "\($0).npy" }), "\(model): files written by --hook all")
            XCTAssertTrue(outcome.stdout.hasPrefix("wrote \(m.hooks.count) arrays for \(m.token_ids.count) tokens"), outcome.stdout)
            for hook in m.hooks {
                let url = out.appendingPathComponent("\(hook).npy")
                var ours = try NpyReader.floats(url)
                let reference = try NpyReader.floats(caseFolder.appendingPathComponent("\(hook).npy"))
                if let positions = m.positions {
                    ours = GoldenRows.select(ours, shape: try NpyReader.shape(url), axis: GoldenRows.queryAxis(ofHook: hook),
                                             positions: positions)
                }
                XCTAssertEqual(ours.count, reference.count, "\(model) \(hook)")
                let scale = reference.filter(\.isFinite).map(abs).max()!
                for (a, b) in zip(ours, reference) where !(a == b || abs(a - b) <= 1e-4 * abs(b) + 1e-5 * scale) {
                    XCTFail("\(model) \(hook): \(a) vs reference \(b)")
                    break
                }
                compared += 1
            }
        }
        XCTAssertEqual(compared, 41 + 59 + 41)
    }
}

import Foundation
import XCTest

/// A NaN in a weight, or weights so large that float32 overflows, never crashes a command: the
/// report is printed (JSON with null), then one line names where non-finite values first appear.
final class NonFiniteValueTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mechscope-nonfinite-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    private func nanAt(_ index: Int) -> ([Float]) -> [Float] { { var v = $0; v[index] = .nan; return v } }

    /// Runs a command that must print its report and then fail in one line naming `hook`.
    private func assertReportsNonFinite(_ args: [String], at hook: String, json: Bool = false,
                                        file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let outcome = try MechscopeProcess.run(args + (json ? ["--json"] : []))
        XCTAssertFalse(outcome.crashed, outcome.stderr, file: file, line: line)
        XCTAssertEqual(outcome.status, 1, file: file, line: line)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.contains("non-finite values first appear at \(hook) "), outcome.stderr, file: file, line: line)
        XCTAssertFalse(outcome.stdout.isEmpty, "the report is still printed", file: file, line: line)
        if json {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)), outcome.stdout, file: file, line: line)
        }
        return outcome.stdout
    }

    func testNaNInTheUnembeddingBiasIsReportedAtTheLogits() throws {
        let model = try ModelFolderCopy(of: ModelFolderCopy.sample("induction-2l"), in: scratch)
        try model.rewrite("lm_head.bias", nanAt(0))
        let text = try assertReportsNonFinite(["run", model.path], at: "logits")
        XCTAssertTrue(text.contains("nan"), text)
        let json = try assertReportsNonFinite(["run", model.path], at: "logits", json: true)
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let top = report["top_k"] as! [[String: Any]]
        XCTAssertEqual(top.count, 10)
        XCTAssertTrue(top[0]["prob"] is NSNull, "\(top[0])")
        XCTAssertFalse(top.contains { $0["token_id"] as? Int == 0 }, "the NaN logit ranks last: \(top)")
        // The bias is centred over its finite entries, so a logit difference of other tokens stays finite.
        let unaffected = try MechscopeProcess.run(["dla", model.path, "--answer", "#3", "--wrong", "#4"])
        XCTAssertEqual(unaffected.status, 0, unaffected.stderr)
        XCTAssertFalse(unaffected.stdout.contains("nan"), unaffected.stdout)
        for args in [["lens", model.path], ["dla", model.path, "--answer", "#0", "--wrong", "#4"],
                     ["ablate", model.path, "--answer", "#3", "--wrong", "#4"],
                     ["patch", model.path, "--clean-ids", "1,2,3", "--corrupted-ids", "1,5,3", "--answer", "#0", "--wrong", "#4"]] {
            _ = try assertReportsNonFinite(args, at: "logits")
            _ = try assertReportsNonFinite(args, at: "logits", json: true)
        }
    }

    /// One NaN logit (token 0) ranks below every finite one: run's and lens's top-k are the clean
    /// model's, token 0 left out — not token ids 0–9 in id order.
    func testTopKRanksANaNLogitLast() throws {
        let clean = ModelFolderCopy.sample("induction-2l")
        let model = try ModelFolderCopy(of: clean, in: scratch)
        try model.rewrite("lm_head.bias", nanAt(0))
        func runIDs(_ folder: String, _ k: Int) throws -> [Int] {
            let outcome = try MechscopeProcess.run(["run", folder, "--top-k", "\(k)", "--json"])
            let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
            return (report["top_k"] as! [[String: Any]]).map { $0["token_id"] as! Int }
        }
        let expected = Array(try runIDs(clean.path, 11).filter { $0 != 0 }.prefix(10))
        XCTAssertNotEqual(expected, Array(0..<10))
        XCTAssertEqual(try runIDs(model.path, 10), expected)
        let text = try assertReportsNonFinite(["run", model.path], at: "logits")
        XCTAssertFalse(text.contains("'<|endoftext|>'"), text)
        func lensIDs(_ folder: String, _ k: Int) throws -> [[Int]] {
            let outcome = try MechscopeProcess.run(["lens", folder, "--top-k", "\(k)", "--json"])
            let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
            return (report["layers"] as! [[String: Any]]).map { layer in
                (layer["top_k"] as! [[String: Any]]).map { $0["token_id"] as! Int }
            }
        }
        let cleanLens = try lensIDs(clean.path, 6), nanLens = try lensIDs(model.path, 5)
        XCTAssertEqual(nanLens.count, cleanLens.count)
        for (got, want) in zip(nanLens, cleanLens) { XCTAssertEqual(got, Array(want.filter { $0 != 0 }.prefix(5))) }
    }

    /// A NaN in L1H2's key weight: heads prints the table (L1H2's entropy nan, not 0) and fails in
    /// one line at blocks.1.attn.hook_k; the explorer's atlas snapshot does the same.
    func testNaNInAKeyWeightIsReportedByHeadsAndTheAtlas() throws {
        let model = try ModelFolderCopy(of: ModelFolderCopy.sample("induction-2l"), in: scratch)
        try model.rewrite("h.1.attn.c_attn.weight", nanAt(3 * 384 + 200))
        let text = try assertReportsNonFinite(["heads", model.path], at: "blocks.1.attn.hook_k")
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("L1H2") })
        XCTAssertEqual(row.split(separator: " ")[5], "nan", "entropy: \(row)")
        let json = try assertReportsNonFinite(["heads", model.path], at: "blocks.1.attn.hook_k", json: true)
        let heads = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any])["heads"] as! [[String: Any]]
        let l1h2 = try XCTUnwrap(heads.first { $0["label"] as? String == "L1H2" })
        XCTAssertTrue(l1h2["entropy"] is NSNull, "\(l1h2)")
        XCTAssertTrue(l1h2["ov_copying"] is NSNumber, "the OV circuit does not read the key weight: \(l1h2)")
        _ = try assertReportsNonFinite(["snapshot", model.path, "--view", "atlas"], at: "blocks.1.attn.hook_k")
    }

    /// circuit on a head whose W_K holds a NaN prints the OV part exactly as for the clean model,
    /// leaves the QK part out, and fails in one line naming the QK circuit of L1H2 and W_K (LAPACK
    /// used to refuse the whole command). A NaN in an earlier head's W_V makes only its composition nan.
    func testCircuitLeavesOutTheNonFiniteCircuitAndPrintsTheRest() throws {
        let clean = ModelFolderCopy.sample("induction-2l")
        let model = try ModelFolderCopy(of: clean, in: scratch, name: "key-nan")
        try model.rewrite("h.1.attn.c_attn.weight", nanAt(3 * 384 + 200))
        func circuit(_ folder: String, _ extra: [String] = []) throws -> MechscopeProcess.Outcome {
            try MechscopeProcess.run(["circuit", folder, "--head", "1.2"] + extra)
        }
        let outcome = try circuit(model.path), reference = try circuit(clean.path)
        XCTAssertEqual(outcome.status, 1, outcome.stdout)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("the QK circuit of L1H2 holds non-finite values (in W_K;"), outcome.stderr)
        XCTAssertFalse(outcome.stderr.contains("ssyevd"), outcome.stderr)
        let ovLines = { (text: String) in text.split(separator: "\n").drop { !$0.hasPrefix("OV copying") }.prefix { !$0.hasPrefix("QK") } }
        XCTAssertEqual(Array(ovLines(outcome.stdout)), Array(ovLines(reference.stdout)))
        XCTAssertEqual(ovLines(outcome.stdout).count, 13, outcome.stdout)
        XCTAssertTrue(outcome.stdout.contains("QK: left out"), outcome.stdout)
        XCTAssertTrue(outcome.stdout.contains("V-composition (top 10): L0H3 0.135"), outcome.stdout)
        let json = try circuit(model.path, ["--json"])
        XCTAssertEqual(json.status, 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        XCTAssertTrue(report["qk_preferred_keys"] is NSNull, "\(report)")
        XCTAssertEqual((report["ov_promoted"] as? [Any])?.count, 10)
        XCTAssertTrue((report["composition"] as! [String: Any])["K"] is NSNull)

        let value = try ModelFolderCopy(of: clean, in: scratch, name: "value-nan")
        try value.rewrite("h.0.attn.c_attn.weight", nanAt(3 * 384 + 256 + 5))
        let earlier = try circuit(value.path)
        XCTAssertEqual(earlier.status, 1, earlier.stdout)
        XCTAssertTrue(earlier.stderr.contains("the OV circuit of L0H0 holds non-finite values (in W_V;"), earlier.stderr)
        XCTAssertTrue(earlier.stdout.contains("V-composition (top 10): L0H3 0.135, L0H2 0.097, L0H1 0.075, L0H0 nan"), earlier.stdout)
    }

    /// heads --composition with a NaN in L1H2's W_K: every other pair is scored (LAPACK used to refuse the
    /// whole matrix), L1H2's Q and K columns are nan (null in JSON), and one line names the head and the matrix.
    func testCompositionScoresEveryFiniteHeadAndNamesTheNonFiniteOne() throws {
        let model = try ModelFolderCopy(of: ModelFolderCopy.sample("induction-2l"), in: scratch)
        try model.rewrite("h.1.attn.c_attn.weight", nanAt(3 * 384 + 200))
        // V-composition reads the later head's W_V and W_O only: all finite, nothing to report.
        let value = try MechscopeProcess.run(["heads", model.path, "--composition", "v"])
        XCTAssertEqual(value.status, 0, value.stderr)
        XCTAssertFalse(value.stdout.contains("nan"), value.stdout)
        for kind in ["q", "k"] {
            let outcome = try MechscopeProcess.run(["heads", model.path, "--composition", kind, "--json"])
            XCTAssertEqual(outcome.status, 1, kind)
            XCTAssertEqual(outcome.stderr, "Error: the weights of L1H2 (W_K) hold non-finite values (model \(model.path)): "
                           + "the composition scores they take part in are nan (null in JSON)\n")
            let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
            let rows = try XCTUnwrap(report["scores"] as? [[Any]])
            let labels = try XCTUnwrap(report["labels"] as? [String])
            let column = try XCTUnwrap(labels.firstIndex(of: "L1H2"))
            for (i, row) in rows.enumerated() where labels[i].hasPrefix("L0") {
                XCTAssertTrue(row[column] is NSNull, "\(kind) \(labels[i])→L1H2: \(row[column])")
                XCTAssertTrue(row[column - 1] is NSNumber && (row[column - 1] as! Double) > 0, "\(kind) \(labels[i])→L1H1")
            }
        }
    }

    /// A NaN in the token embedding (row 7, a token the prompt does not use): the analyses of the weights
    /// alone name W_E and its row instead of LAPACK's refusal ("dgeev: the matrix holds NaN").
    func testNaNInTheEmbeddingIsNamedByTheWeightAnalyses() throws {
        let model = try ModelFolderCopy(of: ModelFolderCopy.sample("induction-2l"), in: scratch)
        try model.rewrite("wte.weight", nanAt(128 * 7 + 3))
        try assertFailsInOneLine(["circuit", model.path, "--head", "1.3"],
                                 mentions: ["W_E (row 7) holds non-finite values", "the circuit cannot be computed from it"])
        let heads = try MechscopeProcess.run(["heads", model.path])
        XCTAssertEqual(heads.stderr, "Error: W_E (row 7) holds non-finite values (model \(model.path)): the OV copying scores cannot be computed from it\n")
        XCTAssertFalse(heads.stderr.contains("dgeev"))
    }

    func testNaNInAnAttentionOutputBiasIsReportedAtThatHook() throws {
        let model = try ModelFolderCopy(of: ModelFolderCopy.sample("induction-2l"), in: scratch)
        try model.rewrite("h.0.attn.c_proj.bias", nanAt(5))
        _ = try assertReportsNonFinite(["run", model.path], at: "blocks.0.hook_attn_out")
        _ = try assertReportsNonFinite(["lens", model.path, "--json"], at: "blocks.0.hook_attn_out")
    }

    func testNaNInAToyModelsWeightsIsReportedAtW() throws {
        let model = try ModelFolderCopy(of: ModelFolderCopy.sample("superposition-toy"), in: scratch)
        try model.rewrite("W", nanAt(0))
        let json = try assertReportsNonFinite(["features", model.path], at: "W", json: true)
        let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [[String: Any]]
        XCTAssertEqual(rows.count, 20)
        XCTAssertTrue(rows[0]["norm"] is NSNull, "\(rows[0])")
        XCTAssertTrue(rows[0]["interference"] is NSNull, "\(rows[0])")
        // Every feature's Σ_j (Ŵ_i·W_j)² takes in feature 0's NaN column: no dimensionality is 0.
        for row in rows { XCTAssertTrue(row["dimensionality"] is NSNull, "\(row)") }
        let text = try assertReportsNonFinite(["features", model.path], at: "W")
        XCTAssertTrue(text.hasPrefix("15 of 20 features represented (‖W_i‖ > 0.5; 1 with a non-finite norm) in 5 dimensions; Σ‖W_i‖² = nan"),
                      text)
        for line in text.split(separator: "\n").dropFirst(2) {
            let fields = line.split(separator: " ")
            XCTAssertEqual(fields[4], "nan", "dimensionality: \(line)")
            XCTAssertEqual(fields[3], "nan", "interference: \(line)")
        }
        _ = try assertReportsNonFinite(["run", model.path], at: "W")
        _ = try assertReportsNonFinite(["info", model.path], at: "W")
    }

    /// W × 1e17: norms of 1e17 and interference of 1e34 are finite; every bar stays inside the
    /// terminal width and every number in its column.
    /// The explorer's views draw NaN and ±∞ (an ∞ MLP weight, a toy whose W × 1e19 overflows) as
    /// empty bars beside `nan`/`inf`; converting them to a bar length trapped (SIGILL).
    func testExplorerViewsDrawNonFiniteValuesWithoutTrapping() throws {
        let model = try ModelFolderCopy(of: MechscopeProcess.goldenModel("gpt2-tiny-a"), in: scratch, name: "inf-mlp")
        try model.rewrite("transformer.h.0.mlp.c_proj.weight") { var v = $0; v[7] = .infinity; return v }
        var drawn = 0
        for view in ["atlas", "logits", "neuron 0.3", "neurons 0", "embed", "dla", "lens", "head 1.2", "layer 1"] {
            let outcome = try MechscopeProcess.run(["snapshot", model.path, "--prompt", "hello world hello world", "--view", view])
            XCTAssertFalse(outcome.crashed, "\(view): \(outcome.stderr)")
            XCTAssertEqual(outcome.status, 1, "\(view): the non-finite values are reported")
            XCTAssertTrue(outcome.stderr.contains("non-finite values first appear at"), "\(view): \(outcome.stderr)")
            drawn += outcome.stdout.isEmpty ? 0 : 1
        }
        XCTAssertEqual(drawn, 9, "every view was drawn before the report")
        let toy = try ModelFolderCopy(of: ModelFolderCopy.sample("superposition-toy"), in: scratch, name: "huge-toy")
        try toy.rewrite("W") { $0.map { $0 * 1e19 } }
        let features = try MechscopeProcess.run(["snapshot", toy.path, "--view", "features"])
        XCTAssertFalse(features.crashed, features.stderr)
    }

    func testHugeToyWeightsKeepBarsAndTablesBounded() throws {
        let model = try ModelFolderCopy(of: ModelFolderCopy.sample("superposition-toy"), in: scratch)
        try model.rewrite("W") { $0.map { $0 * 1e17 } }
        for columns in [40, 80, 200] {
            let outcome = try MechscopeProcess.run(["features", model.path], environment: ["COLUMNS": "\(columns)"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let lines = outcome.stdout.split(separator: "\n")
            XCTAssertEqual(lines.count, 22)
            for line in lines.dropFirst() { XCTAssertLessThanOrEqual(line.count, max(columns, 72), String(line)) }
            XCTAssertTrue(lines[2].contains("1.13e+17"), String(lines[2]))
            // The bar takes what the table leaves of the width: nothing at 40 columns, a capped bar beyond.
            XCTAssertEqual(lines[2].hasSuffix("▸"), columns >= 80, "bar at \(columns) columns: \(lines[2])")
            if columns >= 80 { XCTAssertEqual(lines[2].count, columns - 1, String(lines[2])) }
        }
        let info = try MechscopeProcess.run(["info", model.path])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("Σ‖W_i‖² = 1.90e+35"), info.stdout)
    }
}

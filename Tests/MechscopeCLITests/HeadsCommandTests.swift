import Foundation
import MechTestSupport
import XCTest

/// `mechscope heads` and `mechscope circuit` against the TransformerLens 4 goldens
/// (Tests/golden/analysis/heads/<model>.json).
final class HeadsCommandTests: XCTestCase {
    private func golden(_ model: String) throws -> [String: Any] {
        let url = MechscopeProcess.repositoryRoot.appendingPathComponent("Tests/golden/analysis/heads/\(model).json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    private func runJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try runMechscopeJSONObject(args, file: file, line: line)
    }

    private func number(_ value: Any?) -> Double { (value as! NSNumber).doubleValue }

    private func assertClose(_ a: Double, _ b: Double, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a, b, accuracy: 1e-4 * abs(b) + 2e-6, message, file: file, line: line)
    }

    func testHeadsJSONMatchesDetectHeadAndCopyingGoldens() throws {
        for model in ["gpt2-tiny-a", "gpt2-tiny-b"] {
            let g = try golden(model)
            let prompt = (g["prompts"] as! [[String: Any]])[0]
            let json = try runJSON(["heads", MechscopeProcess.goldenModel(model).path, "--prompt", prompt["prompt"] as! String,
                                    "--prepend-bos", "--json"])
            XCTAssertEqual(json["token_ids"] as? [Int], prompt["token_ids"] as? [Int])
            let repeated = g["repeated"] as! [String: Any]
            let sequence = json["repeated_sequence"] as! [String: Any]
            XCTAssertEqual(sequence["token_ids"] as? [Int], repeated["token_ids"] as? [Int])
            XCTAssertEqual(sequence["seed"] as? Int, 0)
            let heads = g["n_heads"] as! Int
            let rows = json["heads"] as! [[String: Any]]
            XCTAssertEqual(rows.count, (g["n_layers"] as! Int) * heads)
            let columns: [(String, [Double])] = [
                ("previous_token", GoldenJSON.flat(prompt["previous_token_head"])), ("duplicate_token", GoldenJSON.flat(prompt["duplicate_token_head"])),
                ("induction", GoldenJSON.flat(prompt["induction_head"])), ("entropy", GoldenJSON.flat(prompt["entropy"])),
                ("repeated_induction", GoldenJSON.flat(repeated["induction_diagonal"])),
                ("ov_copying", GoldenJSON.flat((g["ov_copying"] as! [String: Any])["scores"])),
            ]
            for row in rows {
                let i = (row["layer"] as! Int) * heads + (row["head"] as! Int)
                XCTAssertEqual(row["label"] as? String, "L\(row["layer"]!)H\(row["head"]!)")
                for (key, expected) in columns {
                    let tolerance = key == "ov_copying" ? 1e-4 * abs(expected[i]) + 2e-5 : 1e-4 * abs(expected[i]) + 2e-6
                    XCTAssertEqual(number(row[key]), expected[i], accuracy: tolerance, "\(model) \(row["label"]!) \(key)")
                }
            }
            let induction = rows.map { number($0["induction"]) }
            XCTAssertEqual(induction, induction.sorted(by: >), "sorted by prompt induction by default")
        }
    }

    func testSortAndExclusionOptions() throws {
        let g = try golden("gpt2-tiny-a")
        let prompt = (g["prompts"] as! [[String: Any]])[0]
        let excluded = prompt["excluding_bos_and_current"] as! [String: Any]
        let json = try runJSON(["heads", MechscopeProcess.goldenModel("gpt2-tiny-a").path, "--prompt", prompt["prompt"] as! String,
                                "--prepend-bos", "--exclude-bos", "--exclude-current-token", "--sort", "copying", "--json"])
        let rows = json["heads"] as! [[String: Any]]
        let copying = rows.map { number($0["ov_copying"]) }
        XCTAssertEqual(copying, copying.sorted(by: >))
        XCTAssertEqual(json["sort"] as? String, "copying")
        for row in rows {
            let i = (row["layer"] as! Int) * 4 + (row["head"] as! Int)
            assertClose(number(row["previous_token"]), GoldenJSON.flat(excluded["previous_token_head"])[i], "prev excluded")
            assertClose(number(row["induction"]), GoldenJSON.flat(excluded["induction_head"])[i], "induction excluded")
        }
    }

    /// One token with both exclusions leaves no (query, key) pair: the three prompt scores are nan
    /// (TransformerLens's 0/0) and one line says why; the command still succeeds.
    func testScoresWithNoPositionsLeftSayWhy() throws {
        let args = ["heads", ModelFolderCopy.sample("induction-2l").path, "-p", "a", "--no-prepend-bos",
                    "--exclude-bos", "--exclude-current-token"]
        let outcome = try MechscopeProcess.run(args)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n")
        XCTAssertEqual(lines.last, "prev-tok, dup-tok and induct are nan: no positions are left to average on the 1-token prompt "
                       + "after --exclude-bos and --exclude-current-token")
        let json = try runJSON(args + ["--json"])
        XCTAssertTrue((json["prompt_scores_unavailable"] as? String)?.contains("no positions are left") == true, "\(json)")
        let withPositions = try runJSON(["heads", ModelFolderCopy.sample("induction-2l").path, "-p", "a b", "--exclude-bos", "--json"])
        XCTAssertTrue(withPositions["prompt_scores_unavailable"] is NSNull)
    }

    func testCompositionMatrixJSONMatchesGoldens() throws {
        let g = try golden("gpt2-tiny-b")
        for kind in ["q", "k", "v"] {
            let json = try runJSON(["heads", MechscopeProcess.goldenModel("gpt2-tiny-b").path, "--composition", kind, "--json"])
            XCTAssertEqual(json["kind"] as? String, kind.uppercased())
            XCTAssertEqual((json["labels"] as! [String]).first, "L0H0")
            let ours = GoldenJSON.flat(json["scores"]), expected = GoldenJSON.flat((g["composition"] as! [String: Any])[kind.uppercased()])
            XCTAssertEqual(ours.count, 15 * 15)
            for (a, b) in zip(ours, expected) { assertClose(a, b, "\(kind)-composition") }
            let top = json["top_pairs"] as! [[String: Any]]
            XCTAssertEqual(number(top[0]["score"]), expected.max()!, accuracy: 1e-5)
        }
    }

    func testCompositionTextShowsEarlierRowsAndLaterColumns() throws {
        let outcome = try MechscopeProcess.run(["heads", MechscopeProcess.goldenModel("gpt2-tiny-a").path, "--composition", "q"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("Q-composition scores of gpt2-tiny-a"))
        XCTAssertEqual(lines[1].split(separator: " ").map(String.init), ["L1H0", "L1H1", "L1H2", "L1H3"])
        XCTAssertEqual(lines.count, 2 + 4 + 1)   // header, column labels, 4 layer-0 rows, top pairs
    }

    func testCircuitJSONMatchesGoldens() throws {
        let g = try golden("gpt2-tiny-a")
        let circuits = g["circuits"] as! [String: Any]
        let json = try runJSON(["circuit", MechscopeProcess.goldenModel("gpt2-tiny-a").path, "--head", "1.2",
                                "--token", circuits["token_text"] as! String, "--top", "10", "--json"])
        XCTAssertEqual(json["label"] as? String, "L1H2")
        XCTAssertEqual(json["token_id"] as? Int, circuits["token_id"] as? Int)
        let ov = (circuits["ov"] as! [[String: Any]])[6], qk = (circuits["qk"] as! [[String: Any]])[6]
        XCTAssertEqual((json["ov_promoted"] as! [[String: Any]]).map { $0["token_id"] as! Int }, ov["top_ids"] as? [Int])
        XCTAssertEqual((json["ov_suppressed"] as! [[String: Any]]).map { $0["token_id"] as! Int }, ov["bottom_ids"] as? [Int])
        XCTAssertEqual((json["qk_preferred_keys"] as! [[String: Any]]).map { $0["token_id"] as! Int }, qk["top_ids"] as? [Int])
        assertClose(number((json["ov_promoted"] as! [[String: Any]])[0]["score"]), GoldenJSON.flat(ov["top_values"])[0], "top OV effect")
        assertClose(number(json["ov_copying"]), GoldenJSON.flat((g["ov_copying"] as! [String: Any])["scores"])[6], "copying")
        let positional = (circuits["positional"] as! [[String: Any]])[6]
        XCTAssertEqual((json["positional"] as! [String: Any])["preferred_offset"] as? Int, positional["preferred_offset"] as? Int)
        XCTAssertEqual(number((json["positional"] as! [String: Any])["share"]), number(positional["share"]), accuracy: 1e-12)
        // Composition with the four layer-0 heads, against all_composition_scores[l1, h1, 1, 2].
        let composition = json["composition"] as! [String: [[String: Any]]]
        for kind in ["Q", "K", "V"] {
            let table = GoldenJSON.flat((g["composition"] as! [String: Any])[kind])
            XCTAssertEqual(composition[kind]!.count, 4)
            for entry in composition[kind]! {
                let i = ((entry["layer"] as! Int) * 4 + (entry["head"] as! Int)) * 8 + 1 * 4 + 2
                assertClose(number(entry["score"]), table[i], "\(kind) from \(entry["label"]!)")
            }
        }
    }

    func testCircuitRejectsBadHeadsAndTokensInOneLine() throws {
        let model = MechscopeProcess.goldenModel("gpt2-tiny-a").path
        let cases: [([String], String)] = [
            (["circuit", model, "--head", "2.0", "--token-id", "5"], "head L2H0 does not exist: the model has layers 0–1 with heads 0–3"),
            (["circuit", model, "--head", "1.1", "--token", " the cat"], "is 3 tokens"),
            (["circuit", model, "--head", "1.1", "--token-id", "512"], "outside the vocabulary (0–511)"),
            (["circuit", model, "--head", "one.two", "--token-id", "5"], "is not LAYER.HEAD"),
        ]
        for (args, message) in cases {
            let outcome = try MechscopeProcess.run(args)
            XCTAssertFalse(outcome.crashed)
            XCTAssertNotEqual(outcome.status, 0)
            XCTAssertTrue(outcome.stderr.contains(message), "'\(outcome.stderr)' lacks '\(message)'")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("Error") }.count, 1, outcome.stderr)
        }
    }

    func testHeadsTextTableListsEveryHead() throws {
        let outcome = try MechscopeProcess.run(["heads", MechscopeProcess.goldenModel("gpt2-tiny-a").path, "--prompt", "one two one two"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n")
        XCTAssertTrue(lines[0].contains("2 layers × 4 heads"))
        XCTAssertEqual(Set(lines.dropFirst(2).map { String($0.split(separator: " ")[0]) }),
                       Set((0..<2).flatMap { l in (0..<4).map { "L\(l)H\($0)" } }))
    }
}

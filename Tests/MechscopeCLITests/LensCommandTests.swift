import Foundation
import MechTestSupport
import XCTest

/// `mechscope lens` and `mechscope dla`: real values in their --json output against the
/// TransformerLens 4 goldens (Tests/golden/analysis/lens, made by make_lens_goldens.py), and
/// one-line errors for bad positions and tokens.
final class LensCommandTests: XCTestCase {
    private let model = MechscopeProcess.goldenModel("gpt2-tiny-b").path

    private func reference(_ name: String) throws -> [String: Any] {
        let url = MechscopeProcess.repositoryRoot.appendingPathComponent("Tests/golden/analysis/lens/gpt2-tiny-b/\(name).json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    private func runJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try runMechscopeJSONObject(args + ["--json"], file: file, line: line)
    }

    private func number(_ any: Any?) -> Double { (any as! NSNumber).doubleValue }

    private func assertNear(_ actual: Double, _ expected: Double, scale: Double = 0, _ label: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual, expected, accuracy: 1e-4 * abs(expected) + 1e-5 * scale + 1e-7, label, file: file, line: line)
    }

    func testLensJSONMatchesTransformerLensAtTheLastPosition() throws {
        let ref = try reference("cat_mat")
        let lensRef = ref["lens"] as! [String: Any]
        let answer = ref["answer"] as! Int
        let json = try runJSON(["lens", model, "--prompt", ref["prompt"] as! String, "--top-k", "5", "--target", "#\(answer)"])
        XCTAssertEqual(json["token_ids"] as? [Int], ref["token_ids"] as? [Int])
        XCTAssertEqual(json["position"] as? Int, (ref["token_ids"] as! [Int]).count - 1)
        let layers = json["layers"] as! [[String: Any]]
        XCTAssertEqual(layers.map { $0["label"] as! String }, ["0_pre", "1_pre", "2_pre", "final_post"])
        XCTAssertEqual(layers.map { $0["layer"] as! Int }, [0, 1, 2, 3])
        let topIDs = lensRef["top_ids"] as! [[[Int]]], topProbs = lensRef["top_probs"] as! [[[Double]]]
        let ranks = lensRef["target_ranks"] as! [[Int]], targetProbs = lensRef["target_probs"] as! [[Double]]
        let entropy = lensRef["entropy"] as! [[Double]]
        for (e, layer) in layers.enumerated() {
            let top = layer["top_k"] as! [[String: Any]]
            XCTAssertEqual(top.map { $0["token_id"] as! Int }, topIDs[e][1], "\(e)")
            for (k, candidate) in top.enumerated() {
                assertNear(number(candidate["prob"]), topProbs[e][1][k], "layer \(e) top \(k)")
            }
            assertNear(number(layer["entropy"]), entropy[e][1], "layer \(e) entropy")
            let target = layer["target"] as! [String: Any]
            XCTAssertEqual(target["token_id"] as? Int, answer)
            XCTAssertEqual(target["rank"] as? Int, ranks[e][1], "layer \(e) target rank")
            assertNear(number(target["prob"]), targetProbs[e][1], "layer \(e) target prob")
        }
    }

    func testLensAtANegativePositionReadsThatPosition() throws {
        let ref = try reference("numbers")
        let positions = ref["positions"] as! [Int], count = (ref["token_ids"] as! [Int]).count
        let json = try runJSON(["lens", model, "--prompt", ref["prompt"] as! String, "--position", "\(positions[0] - count)",
                                "--top-k", "3"])
        XCTAssertEqual(json["position"] as? Int, positions[0])
        let topIDs = (ref["lens"] as! [String: Any])["top_ids"] as! [[[Int]]]
        let layers = json["layers"] as! [[String: Any]]
        XCTAssertEqual(layers.count, 4)
        for (e, layer) in layers.enumerated() {
            XCTAssertEqual((layer["top_k"] as! [[String: Any]]).map { $0["token_id"] as! Int }, Array(topIDs[e][0].prefix(3)))
        }
    }

    func testDLAPerComponentMatchesTransformerLensForALogitDifference() throws {
        let ref = try reference("cat_mat")
        let dla = ref["dla"] as! [String: Any], component = dla["component"] as! [String: Any]
        let labels = component["labels"] as! [String], expected = (component["diff"] as! [[Double]])[1]
        let json = try runJSON(["dla", model, "--prompt", ref["prompt"] as! String, "--answer", "#\(ref["answer"] as! Int)",
                                "--wrong", "#\(ref["wrong"] as! Int)", "--per", "component"])
        let entries = json["entries"] as! [[String: Any]]
        XCTAssertEqual(Set(entries.map { $0["label"] as! String }), Set(labels))
        let scale = expected.map(abs).max()!
        for entry in entries {
            let i = labels.firstIndex(of: entry["label"] as! String)!
            assertNear(number(entry["attribution"]), expected[i], scale: scale, entry["label"] as! String)
        }
        let magnitudes = entries.map { abs(number($0["attribution"])) }
        XCTAssertEqual(magnitudes, magnitudes.sorted(by: >))
        assertNear(number(json["sum_of_entries"]), number(json["residual_logit"]), scale: scale, "components add up")
        assertNear(number(json["logit"]), number(json["residual_logit"]) + number(json["unembedding_bias"]), scale: 1, "logit")
    }

    func testDLAPerHeadMatchesTransformerLensAtTheMiddlePosition() throws {
        let ref = try reference("unicode")
        let dla = ref["dla"] as! [String: Any], head = dla["head"] as! [String: Any]
        let labels = head["labels"] as! [String], expected = (head["answer"] as! [[Double]])[0]
        let biases = ((dla["attn_bias"] as! [String: Any])["answer"] as! [[Double]])[0]
        let position = (ref["positions"] as! [Int])[0]
        let json = try runJSON(["dla", model, "--prompt", ref["prompt"] as! String, "--answer", "#\(ref["answer"] as! Int)",
                                "--per", "head", "--position", "\(position)", "--top", "100"])
        XCTAssertNil(json["wrong"])
        XCTAssertEqual(json["total_entries"] as? Int, 15 + 3 + 1)
        var byLabel: [String: Double] = [:]
        for e in json["entries"] as! [[String: Any]] { byLabel[e["label"] as! String] = number(e["attribution"]) }
        let scale = expected.map(abs).max()!
        for (i, label) in labels.enumerated() where label != "remainder" {
            assertNear(byLabel[label]!, expected[i], scale: scale, label)
        }
        for l in 0..<3 { assertNear(byLabel["\(l)_attn_bias"]!, biases[l], scale: scale, "\(l)_attn_bias") }
        // TransformerLens's remainder holds the attention biases; ours lists them apart.
        assertNear(byLabel["remainder"]! + biases.reduce(0, +), expected[labels.firstIndex(of: "remainder")!], scale: scale,
                   "remainder")
    }

    func testDLAPerNeuronMatchesTransformerLensForATokenGivenAsText() throws {
        let ref = try reference("cat_mat")
        let ids = ref["token_ids"] as! [Int]
        // Position 7 holds ' the' (id 260); attribute the answer given as text at the last position.
        XCTAssertEqual(ids[7], 260)
        let json = try runJSON(["dla", model, "--prompt", ref["prompt"] as! String, "--answer", " the", "--per", "neuron",
                                "--top", "6"])
        XCTAssertEqual((json["answer"] as! [String: Any])["token_id"] as? Int, 260)
        let entries = json["entries"] as! [[String: Any]]
        XCTAssertEqual(entries.count, 6)
        XCTAssertEqual(json["total_entries"] as? Int, 3 * 240)
        // Check against the golden neuron activations at the last position (activation is reported).
        let acts = (ref["neurons"] as! [String: Any])["activations"] as! [[[Double]]]
        for e in entries {
            let l = e["layer"] as! Int, n = e["neuron"] as! Int
            XCTAssertEqual(e["label"] as? String, "L\(l)N\(n)")
            assertNear(number(e["activation"]), acts[l][1][n], scale: 1, "L\(l)N\(n) activation")
        }
    }

    func testDLAForTheGoldenAnswerMatchesNeuronAttributions() throws {
        let ref = try reference("numbers")
        let expected = (((ref["dla"] as! [String: Any])["neuron"] as! [String: Any])["diff"] as! [[Double]])[1]
        let json = try runJSON(["dla", model, "--prompt", ref["prompt"] as! String, "--answer", "#\(ref["answer"] as! Int)",
                                "--wrong", "#\(ref["wrong"] as! Int)", "--per", "neuron", "--top", "10"])
        let scale = expected.map(abs).max()!
        let top = expected.indices.sorted { abs(expected[$0]) > abs(expected[$1]) }.prefix(10)
        let entries = json["entries"] as! [[String: Any]]
        XCTAssertEqual(entries.map { ($0["layer"] as! Int) * 240 + ($0["neuron"] as! Int) }, Array(top))
        for e in entries {
            let i = (e["layer"] as! Int) * 240 + (e["neuron"] as! Int)
            assertNear(number(e["attribution"]), expected[i], scale: scale, e["label"] as! String)
        }
    }

    func testBadPositionsAreOneLineErrors() throws {
        let prompt = "the cat sat"   // 6 tokens: 't' 'he' ' c' 'at' ' s' 'at'
        try assertFailsInOneLine(["lens", model, "--prompt", prompt, "--position", "6"],
                                 mentions: ["--position 6", "6 tokens", "0…5", "-6…-1"])
        try assertFailsInOneLine(["dla", model, "--prompt", prompt, "--answer", "#3", "--position", "-7"],
                                 mentions: ["--position -7", "6 tokens"])
        // The edges are valid.
        XCTAssertEqual(try runJSON(["lens", model, "--prompt", prompt, "--position", "-6"])["position"] as? Int, 0)
        XCTAssertEqual(try runJSON(["dla", model, "--prompt", prompt, "--answer", "#3", "--position", "5"])["position"] as? Int, 5)
    }

    func testMultiTokenAndUnknownAnswersAreOneLineErrors() throws {
        try assertFailsInOneLine(["dla", model, "--prompt", "the cat", "--answer", " Mary"],
                                 mentions: ["--answer ' Mary' is 4 tokens", "' ' 'M' 'ar' 'y'", "220 44 277 88", "#ID"])
        try assertFailsInOneLine(["dla", model, "--prompt", "the cat", "--answer", "#3", "--wrong", "#512"],
                                 mentions: ["--wrong #512", "vocabulary of 512"])
        try assertFailsInOneLine(["lens", model, "--prompt", "the cat", "--target", "cat dog"],
                                 mentions: ["--target 'cat dog' is", "tokens, not one"])
        try assertFailsInOneLine(["dla", model, "--prompt", "the cat", "--answer", "#the"],
                                 mentions: ["'#the' is not a token id"])
    }
}

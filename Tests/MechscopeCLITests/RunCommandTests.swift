import Foundation
import MechTestSupport
import XCTest

/// `mechscope run`'s printed next-token probabilities and logits, as text and JSON, against
/// `transformers` (next_token.json in every golden case, written by Tests/golden/make_goldens.py:
/// float32 logits from HF, probabilities from a float64 softmax of them).
final class RunCommandTests: XCTestCase {
    /// Every golden case, by model, with how many there must be.
    private static let caseCounts = ["gpt2-tiny-a": 4, "gpt2-tiny-b": 3, "gpt2-tiny-a-f16": 1, "gpt2-tiny-a-bf16": 1,
                                     "gpt2-tiny-a-sharded": 1, "gpt2-tiny-c": 1]

    struct Reference: Decodable {
        struct Candidate: Decodable { let token_id: Int; let logit: Double; let prob: Double }
        struct Run: Decodable { let token_ids: [Int]; let top_k: [Candidate] }
        let plain: Run
        let prepend_bos: Run?
    }

    private func references() throws -> [(model: String, prompt: String, reference: Reference)] {
        var out: [(String, String, Reference)] = []
        for (model, count) in Self.caseCounts.sorted(by: { $0.key < $1.key }) {
            for (folder, meta) in try GoldenFixtures.cases(of: model, expected: count) {
                let data = try Data(contentsOf: folder.appendingPathComponent("next_token.json"))
                out.append((model, meta.prompt, try JSONDecoder().decode(Reference.self, from: data)))
            }
        }
        XCTAssertEqual(out.count, Self.caseCounts.values.reduce(0, +))
        return out
    }

    private func assertProbability(_ actual: Double, _ expected: Double, _ label: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual, expected, accuracy: 1e-4 * expected + 1e-8, label, file: file, line: line)
    }

    private func assertLogit(_ actual: Double, _ expected: Double, scale: Double, _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual, expected, accuracy: 1e-4 * abs(expected) + 1e-5 * scale, label, file: file, line: line)
    }

    func testRunJSONGivesTransformersProbabilitiesAndLogits() throws {
        var compared = 0
        for (model, prompt, reference) in try references() {
            for (run, bos) in [(reference.plain, false), (reference.prepend_bos, true)] {
                guard let run else { continue }   // a BOS would not fit the context
                let label = "\(model) '\(prompt.prefix(30))' bos=\(bos)"
                let args = ["run", GoldenFixtures.modelFolder(model).path, "--prompt", prompt, "--top-k", "\(run.top_k.count)", "--json"]
                let outcome = try MechscopeProcess.run(args + (bos ? ["--prepend-bos"] : []))
                XCTAssertEqual(outcome.status, 0, outcome.stderr)
                let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], label)
                XCTAssertEqual(json["token_ids"] as? [Int], run.token_ids, label)
                let top = try XCTUnwrap(json["top_k"] as? [[String: Any]], label)
                XCTAssertEqual(top.map { $0["token_id"] as? Int }, run.top_k.map(\.token_id), label)
                let scale = run.top_k.map { abs($0.logit) }.max()!
                for (ours, theirs) in zip(top, run.top_k) {
                    assertProbability(GoldenJSON.number(ours["prob"]), theirs.prob, "\(label) prob of #\(theirs.token_id)")
                    assertLogit(GoldenJSON.number(ours["logit"]), theirs.logit, scale: scale, "\(label) logit of #\(theirs.token_id)")
                }
                compared += 1
            }
        }
        XCTAssertEqual(compared, 2 * 11 - 1, "every case with and without BOS (tiny-b's 32-token case has no room for one)")
    }

    /// The text table: rank, percentage (2 decimals) and logit (3 decimals) of each candidate.
    func testRunTextPrintsTransformersProbabilitiesAndLogits() throws {
        var compared = 0
        for (model, prompt, reference) in try references() {
            let outcome = try MechscopeProcess.run(["run", GoldenFixtures.modelFolder(model).path, "--prompt", prompt,
                                                    "--top-k", "\(reference.plain.top_k.count)"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let rows = outcome.stdout.split(separator: "\n").compactMap(Self.parseCandidateRow)
            XCTAssertEqual(rows.map(\.rank), Array(1...reference.plain.top_k.count), outcome.stdout)
            XCTAssertTrue(outcome.stdout.hasPrefix("\(reference.plain.token_ids.count) tokens: "), outcome.stdout)
            for (row, theirs) in zip(rows, reference.plain.top_k) {
                XCTAssertEqual(row.percent, theirs.prob * 100, accuracy: 0.005 + 1e-4 * theirs.prob * 100, "\(model) rank \(row.rank)")
                XCTAssertEqual(row.logit, theirs.logit, accuracy: 0.0005 + 1e-4 * abs(theirs.logit), "\(model) rank \(row.rank)")
            }
            compared += 1
        }
        XCTAssertEqual(compared, 11)
    }

    /// "  3. 'tok'    2.96%  logit    3.424  █" → (3, 2.96, 3.424); nil for other lines.
    static func parseCandidateRow(_ line: Substring) -> (rank: Int, percent: Double, logit: Double)? {
        guard let dot = line.firstIndex(of: "."), let rank = Int(line[..<dot].trimmingCharacters(in: .whitespaces)),
              let marker = line.range(of: "%  logit ", options: .backwards) else { return nil }
        guard let percentText = line[..<marker.lowerBound].split(separator: " ").last, let percent = Double(percentText),
              let logitText = line[marker.upperBound...].split(separator: " ").first, let logit = Double(logitText) else { return nil }
        return (rank, percent, logit)
    }
}

import Foundation
import MechTestSupport
import XCTest

/// `mechscope bench` and `bench-lens`: the report's structure, and every figure parses as a positive
/// number (timings vary by machine, so no thresholds).
final class BenchCommandTests: XCTestCase {
    private func positive(_ text: Substring, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        let value = Double(text.trimmingCharacters(in: CharacterSet(charactersIn: "%")))
        XCTAssertNotNil(value, "\(label): '\(text)' is not a number", file: file, line: line)
        XCTAssertGreaterThan(value ?? 0, 0, "\(label): '\(text)'", file: file, line: line)
    }

    func testBenchReportsPositiveFiguresForEachLength() throws {
        let model = GoldenFixtures.modelFolder("gpt2-tiny-a")
        // 100 is capped at the context of 64, which is also asked for: two rows.
        let outcome = try MechscopeProcess.run(["bench", model.path, "--tokens", "8", "--tokens", "64", "--tokens", "100", "--runs", "1"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "model      \(model.path)")
        XCTAssertTrue(lines[1].hasPrefix("shape      2×64, 4 heads, vocab 512, 547.8 KB of weights (F32 (28 tensors, 547840 bytes))"),
                      String(lines[1]))
        XCTAssertTrue(lines[2].hasPrefix("openblas   "), String(lines[2]))
        let open = lines[3].split(separator: " ")
        XCTAssertEqual(open.first, "open")
        positive(open[1], "open time")
        XCTAssertEqual(open[2], "ms")
        XCTAssertTrue(lines[3].contains("; tokenizer "), String(lines[3]))
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("tokens   last-logits") }, outcome.stdout)
        let rows = lines[(header + 1)...].prefix { !$0.isEmpty }.map { $0.split(separator: " ") }
        XCTAssertEqual(rows.map { $0.first.map(String.init) }, ["8", "64"], outcome.stdout)
        for fields in rows {
            // tokens, last ms, all ms, GFLOP, GFLOP/s, gemm-phase GFLOP/s, sgemm ref GFLOP/s, gemm/ref %, cache size unit
            XCTAssertEqual(fields.count, 12, "\(fields)")
            guard fields.count == 12 else { continue }
            XCTAssertEqual([fields[2], fields[4]], ["ms", "ms"])
            for (i, name) in [(1, "last-logits"), (3, "all-logits"), (5, "GFLOP"), (6, "GFLOP/s"), (7, "gemm-phase"),
                              (8, "sgemm ref"), (9, "gemm/ref"), (10, "cache")] {
                positive(fields[i], "\(fields[0]) tokens \(name)")
            }
            XCTAssertTrue(fields[9].hasSuffix("%"))
            XCTAssertTrue(["KB", "MB", "GB"].contains(fields[11]), "\(fields)")
        }
        // More tokens, more work: the GEMM count (deterministic) grows with the length.
        if rows.count == 2, rows[0].count == 12, rows[1].count == 12 {
            XCTAssertLessThan(Double(rows[0][5])!, Double(rows[1][5])!)
        }
        func sizeCount(_ line: Substring) -> Int {
            line.split(separator: " ").filter { ["KB", "MB", "GB"].contains($0.trimmingCharacters(in: .punctuationCharacters)) }.count
        }
        // peak resident and sampled peak anonymous; then resident, anonymous and file-backed now
        let memoryIndex = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("memory     peak resident ") }, outcome.stdout)
        XCTAssertTrue(lines[memoryIndex].contains("peak anonymous "), String(lines[memoryIndex]))
        XCTAssertEqual(sizeCount(lines[memoryIndex]), 2, String(lines[memoryIndex]))
        XCTAssertTrue(lines[memoryIndex + 1].hasPrefix("           now "), String(lines[memoryIndex + 1]))
        XCTAssertEqual(sizeCount(lines[memoryIndex + 1]), 3, String(lines[memoryIndex + 1]))
    }

    func testBenchLensTimesEveryAnalysisStep() throws {
        let model = GoldenFixtures.modelFolder("gpt2-tiny-b")
        let outcome = try MechscopeProcess.run(["bench-lens", model.path, "--tokens", "12", "--runs", "2"])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        let lines = outcome.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "model      \(model.path)")
        XCTAssertEqual(lines[1], "shape      3×60, 5 heads, d_mlp 240, vocab 512; 12 tokens")
        let steps = ["ProcessedWeights (once per model)", "forward pass, full cache + logits",
                     "logit lens, last position, all layers, top-10", "logit lens, same + target rank/prob",
                     "DLA per head (+ biases, remainder), last position", "DLA per head, all 12 positions",
                     "DLA per component, last position", "DLA per neuron, last position"]
        let timed = lines.filter { $0.hasSuffix(" ms") }
        XCTAssertEqual(timed.map { String($0.prefix(52)).trimmingCharacters(in: .whitespaces) }, steps, outcome.stdout)
        for line in timed {
            let fields = line.split(separator: " ")
            positive(fields[fields.count - 2], String(line.prefix(40)))
        }
        let notes = try XCTUnwrap(lines.last)
        XCTAssertTrue(notes.hasPrefix("notes      answer/wrong = the model's top two tokens at the last position (#"), String(notes))
    }
}

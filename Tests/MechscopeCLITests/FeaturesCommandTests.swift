import Foundation
import MechTestSupport
import XCTest

/// `mechscope features`, `info` and `run` on toy superposition models: every printed number against
/// NumPy (Tests/golden/analysis/superposition, made by make_superposition_goldens.py).
final class FeaturesCommandTests: XCTestCase {
    private func runJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        try runMechscopeJSON(args + ["--json"], file: file, line: line)
    }

    private func assertNear(_ actual: Double, _ expected: Double, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual, expected, accuracy: 1e-4 * abs(expected) + 1e-6, label, file: file, line: line)
    }

    func testFeaturesJSONMatchesNumPy() throws {
        var checked = 0
        for (name, count, _) in SuperpositionGolden.expected {
            let golden = try SuperpositionGolden.load(name)
            let rows = try XCTUnwrap(try runJSON(["features", SuperpositionGolden.folder(name).path]) as? [[String: Any]])
            XCTAssertEqual(rows.count, count, name)
            for (row, f) in zip(rows, golden.features) {
                let label = "\(name) feature \(f.feature)"
                XCTAssertEqual(row["feature"] as? Int, f.feature, label)
                assertNear(GoldenJSON.number(row["norm"]), f.norm, "\(label) norm")
                assertNear(GoldenJSON.number(row["interference"]), f.interference, "\(label) interference")
                assertNear(GoldenJSON.number(row["dimensionality"]), f.dimensionality, "\(label) dimensionality")
                assertNear(GoldenJSON.number(row["bias"]), f.bias, "\(label) bias")
                XCTAssertEqual((row["importance"] as? NSNumber)?.doubleValue, f.importance, "\(label) importance")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 26)
    }

    /// The table prints 3 decimals (importance 4); the header the represented count and Σ‖W_i‖².
    func testFeaturesTextMatchesNumPy() throws {
        var checked = 0
        for (name, count, _) in SuperpositionGolden.expected {
            let golden = try SuperpositionGolden.load(name)
            let outcome = try MechscopeProcess.run(["features", SuperpositionGolden.folder(name).path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let lines = outcome.stdout.split(separator: "\n")
            XCTAssertEqual(lines.first.map(String.init),
                           "\(golden.represented_features) of \(count) features represented (‖W_i‖ > 0.5) in \(golden.n_hidden) dimensions; "
                           + String(format: "Σ‖W_i‖² = %.3f", golden.frobenius_norm_squared))
            let rows = lines.dropFirst(2).map { $0.split(separator: " ").map(String.init) }
            XCTAssertEqual(rows.count, count, outcome.stdout)
            for (fields, f) in zip(rows, golden.features) {
                let label = "\(name) feature \(f.feature): \(fields)"
                XCTAssertEqual(Int(fields[0]), f.feature, label)
                if let importance = f.importance { XCTAssertEqual(Double(fields[1]) ?? .nan, importance, accuracy: 0.00005 + 1e-9, label) }
                for (column, value) in [(2, f.norm), (3, f.interference), (4, f.dimensionality), (5, f.bias)] {
                    XCTAssertEqual(Double(fields[column]) ?? .nan, value, accuracy: 0.0005 + 1e-9, label)
                }
                // The bar is ‖W_i‖ in tenths.
                XCTAssertEqual(fields.count > 6 ? fields[6].count : 0, Int((f.norm * 10).rounded()), label)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 26)
    }

    /// toy-edge's config has no `importance` (the format makes it optional): the column shows "–"
    /// as the explorer does, and JSON gives no number, never a bare nan.
    func testAMissingImportanceIsShownAsAbsentNotNaN() throws {
        let outcome = try MechscopeProcess.run(["features", SuperpositionGolden.folder("toy-edge").path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertFalse(outcome.stdout.contains("nan"), outcome.stdout)
        for line in outcome.stdout.split(separator: "\n").dropFirst(2) {
            XCTAssertEqual(line.split(separator: " ")[1], "–", String(line))
        }
        let rows = try XCTUnwrap(try runJSON(["features", SuperpositionGolden.folder("toy-edge").path]) as? [[String: Any]])
        for row in rows { XCTAssertNil(row["importance"] as? NSNumber, "\(row)") }
    }

    /// NaN, ±∞ and values beyond float32 in the toy's input are refused in one line naming the
    /// position, not run and blamed on the weights.
    func testRunRefusesNonFiniteInputNamingItsPosition() throws {
        let toy = ModelFolderCopy.sample("superposition-toy").path
        let zeros = Array(repeating: "0", count: 20)
        for (value, problem) in [("nan", "is not a finite number"), ("inf", "is not a finite number"),
                                 ("-inf", "is not a finite number"), ("1e39", "overflows float32")] {
            var input = zeros
            input[3] = value
            let outcome = try MechscopeProcess.run(["run", toy, "-p", input.joined(separator: " ")])
            XCTAssertEqual(outcome.status, 1, outcome.stdout)
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("input value 4 (feature 3) '\(value)' \(problem)"), outcome.stderr)
            XCTAssertFalse(outcome.stderr.contains("weights"), outcome.stderr)
        }
    }

    /// Inputs of 1e38 give outputs near float32's limit: every printed number is at most 12
    /// characters (scientific notation for values too wide), never a 40-digit expansion.
    func testRunPrintsHugeValuesInBoundedWidth() throws {
        let toy = ModelFolderCopy.sample("superposition-toy").path
        let input = ["1e38", "1e38"] + Array(repeating: "0", count: 18)
        let outcome = try MechscopeProcess.run(["run", toy, "-p", input.joined(separator: " ")])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        for field in outcome.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            XCTAssertLessThanOrEqual(field.count, 12, String(field))
        }
        XCTAssertTrue(outcome.stdout.contains("1.00e+38"), outcome.stdout)
    }

    func testInfoJSONGivesTheGeometrySummary() throws {
        for (name, count, _) in SuperpositionGolden.expected {
            let golden = try SuperpositionGolden.load(name)
            let info = try XCTUnwrap(try runJSON(["info", SuperpositionGolden.folder(name).path]) as? [String: Any])
            XCTAssertEqual(info["model_type"] as? String, "toy_superposition")
            XCTAssertEqual(info["n_features"] as? Int, count)
            XCTAssertEqual(info["n_hidden"] as? Int, golden.n_hidden)
            XCTAssertEqual(info["represented_features"] as? Int, golden.represented_features)
            XCTAssertEqual((info["feature_probability"] as? NSNumber)?.doubleValue, golden.feature_probability)
            assertNear(GoldenJSON.number(info["frobenius_norm_squared"]), golden.frobenius_norm_squared, "\(name) Σ‖W_i‖²")
        }
    }

    func testRunJSONGivesTheHiddenAndOutputVectors() throws {
        var checked = 0
        for (name, _, runs) in SuperpositionGolden.expected {
            let golden = try SuperpositionGolden.load(name)
            XCTAssertEqual(golden.runs.count, runs)
            for run in golden.runs {
                let json = try XCTUnwrap(try runJSON(["run", SuperpositionGolden.folder(name).path, "--prompt", run.input])
                                         as? [String: Any])
                assertClose(GoldenJSON.doubles(json["hidden"]), run.hidden, relative: 1e-5, absolute: 1e-6, "\(name) hidden '\(run.input)'")
                assertClose(GoldenJSON.doubles(json["output"]), run.output, relative: 1e-5, absolute: 1e-6, "\(name) output '\(run.input)'")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 10)
    }

    func testInfoTextGivesTheGeometrySummary() throws {
        for (name, count, _) in SuperpositionGolden.expected {
            let golden = try SuperpositionGolden.load(name)
            let outcome = try MechscopeProcess.run(["info", SuperpositionGolden.folder(name).path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let lines = outcome.stdout.split(separator: "\n").map(String.init)
            XCTAssertTrue(lines.contains("type       toy superposition (ReLU output model): \(count) features in \(golden.n_hidden) dimensions"),
                          outcome.stdout)
            XCTAssertTrue(lines.contains("geometry   \(golden.represented_features) features with ‖W_i‖ > 0.5; "
                                         + String(format: "Σ‖W_i‖² = %.3f (> %d only in superposition)",
                                                  golden.frobenius_norm_squared, golden.n_hidden)), outcome.stdout)
        }
    }

    /// The text run: the hidden vector (3 decimals), then a row for each feature that is on in the input or
    /// comes out above 0.01.
    func testRunTextGivesTheHiddenAndOutputVectors() throws {
        var checked = 0
        for (name, _, _) in SuperpositionGolden.expected {
            for run in try SuperpositionGolden.load(name).runs {
                let outcome = try MechscopeProcess.run(["run", SuperpositionGolden.folder(name).path, "--prompt", run.input])
                XCTAssertEqual(outcome.status, 0, outcome.stderr)
                let lines = outcome.stdout.split(separator: "\n")
                let hidden = lines[0].split(separator: " ").dropFirst().compactMap { Double($0) }
                XCTAssertEqual(lines[0].split(separator: " ").first, "hidden")
                XCTAssertEqual(hidden.count, run.hidden.count, String(lines[0]))
                for (a, b) in zip(hidden, run.hidden) { XCTAssertEqual(a, b, accuracy: 0.0005 + 1e-9, "\(name) '\(run.input)' hidden") }
                let inputs = run.input.split(separator: " ").map { Double($0)! }
                let expectedRows = run.output.indices.filter { inputs[$0] != 0 || run.output[$0] > 0.01 }
                let rows = lines.dropFirst(2).map { $0.split(separator: " ").compactMap { Double($0) } }
                XCTAssertEqual(rows.map { Int($0[0]) }, expectedRows, "\(name) '\(run.input)'")
                for row in rows where row.count == 3 {
                    let i = Int(row[0])
                    XCTAssertEqual(row[1], inputs[i], accuracy: 0.0005 + 1e-9, "\(name) '\(run.input)' input \(i)")
                    XCTAssertEqual(row[2], run.output[i], accuracy: 0.0005 + 1e-9, "\(name) '\(run.input)' output \(i)")
                }
                checked += 1
            }
        }
        XCTAssertEqual(checked, 10)
    }
}

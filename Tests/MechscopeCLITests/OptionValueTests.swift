import Foundation
import XCTest

/// Option values as users type them: text starting with '-', negative numbers, conflicting and
/// malformed options, each refused (or accepted) in one line that names the option.
final class OptionValueTests: XCTestCase {
    private let tinyA = MechscopeProcess.goldenModel("gpt2-tiny-a").path

    private func json(_ args: [String]) throws -> [String: Any] {
        let outcome = try MechscopeProcess.run(args)
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as! [String: Any]
    }

    func testPromptsMayStartWithADash() throws {
        let report = try json(["run", tinyA, "--prompt", "-1 x", "--json"])
        XCTAssertEqual(report["prompt"] as? String, "-1 x")
        let direct = try json(["run", tinyA, "--prompt", "-", "--json"])
        XCTAssertEqual((direct["token_ids"] as? [Int])?.count, 1)
        let dla = try json(["dla", tinyA, "--prompt", "-x y", "--answer", "-", "--json"])
        XCTAssertEqual(dla["prompt"] as? String, "-x y")
    }

    func testNegativeCountsAndHeadsAreRejectedClearly() throws {
        try assertFailsInOneLine(["run", tinyA, "--prompt", "hi", "--top-k", "-1"], mentions: ["--top-k -1", "at least 1"])
        try assertFailsInOneLine(["lens", tinyA, "--prompt", "hi", "--top-k", "0"], mentions: ["--top-k 0", "at least 1"])
        try assertFailsInOneLine(["circuit", tinyA, "--head", "-1.0"], mentions: ["--head '-1.0'", "negative"])
        try assertFailsInOneLine(["circuit", tinyA, "--head", "x"], mentions: ["--head 'x'", "LAYER.HEAD"])
        try assertFailsInOneLine(["bench", tinyA, "--tokens", "-5"], mentions: ["--tokens -5"])
    }

    func testPatchOptionConflictsAndMalformedIDs() throws {
        let base = ["patch", tinyA, "--answer", "#1", "--wrong", "#2"]
        try assertFailsInOneLine(base + ["--clean", "a b", "--clean-ids", "1,2", "--corrupted", "a c"],
                                 mentions: ["--clean and --clean-ids conflict"])
        try assertFailsInOneLine(base + ["--clean", "a b", "--corrupted", "a c", "--corrupted-ids", "1,2"],
                                 mentions: ["--corrupted and --corrupted-ids conflict"])
        try assertFailsInOneLine(base + ["--clean-ids", "1,,3", "--corrupted-ids", "1,2,3"],
                                 mentions: ["--clean-ids '1,,3'", "field 2 is empty"])
        try assertFailsInOneLine(base + ["--clean-ids", "1,2,3", "--corrupted-ids", "1,2,"],
                                 mentions: ["--corrupted-ids '1,2,'", "field 3 is empty"])
        try assertFailsInOneLine(base + ["--clean", "a b", "--corrupted", ""], mentions: ["--corrupted is empty"])
        try assertFailsInOneLine(base + ["--clean", "", "--corrupted", "a b"], mentions: ["--clean is empty"])
    }

    func testTheSameAnswerAndWrongTokenIsRefusedNotACrash() throws {
        for command in ["dla", "ablate"] {
            try assertFailsInOneLine([command, "--answer", " t", "--wrong", " t"], mentions: ["same token", "' t'"])
        }
        try assertFailsInOneLine(["patch", tinyA, "--clean", "a b", "--corrupted", "a c", "--answer", "#7", "--wrong", "#7"],
                                 mentions: ["same token", "#7"])
        // A single token without --wrong still works.
        let single = try json(["dla", "--answer", " t", "--json"])
        XCTAssertNil(single["wrong"])
        XCTAssertEqual((single["entries"] as? [Any])?.isEmpty, false)
    }

    func testCircuitTokenAcceptsAnID() throws {
        let byID = try json(["circuit", "--head", "1.3", "--token", "#5", "--json"])
        XCTAssertEqual(byID["token_id"] as? Int, 5)
        let legacy = try json(["circuit", "--head", "1.3", "--token-id", "5", "--json"])
        XCTAssertEqual((byID["ov_promoted"] as! [[String: Any]]).map { $0["token_id"] as! Int },
                       (legacy["ov_promoted"] as! [[String: Any]]).map { $0["token_id"] as! Int })
        try assertFailsInOneLine(["circuit", "--head", "1.3", "--token", "#999999"], mentions: ["--token #999999", "vocabulary"])
    }
}

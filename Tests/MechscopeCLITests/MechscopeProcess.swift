import Foundation
import MechTestSupport
import XCTest

/// Runs the built `mechscope` binary the way a user does and captures what it printed.
struct MechscopeProcess {
    struct Outcome {
        let status: Int32
        let crashed: Bool
        let stdout: String
        let stderr: String
    }

    /// The binary SwiftPM built next to this test bundle.
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mechscope")
    }

    static let repositoryRoot = GoldenFixtures.repositoryRoot

    static func goldenModel(_ name: String) -> URL { GoldenFixtures.modelFolder(name) }

    /// Runs `executable` (the mechscope binary unless named) with `arguments`.
    static func run(_ arguments: [String], environment: [String: String] = [:], executable: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       crashed: process.terminationReason == .uncaughtSignal,
                       stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// Runs mechscope expecting failure: no crash, a non-zero exit, exactly one line on stderr that
/// mentions every one of `parts`.
func assertFailsInOneLine(_ args: [String], mentions parts: [String],
                          file: StaticString = #filePath, line: UInt = #line) throws {
    let outcome = try MechscopeProcess.run(args)
    XCTAssertFalse(outcome.crashed, "crashed: \(outcome.stderr)", file: file, line: line)
    XCTAssertNotEqual(outcome.status, 0, file: file, line: line)
    XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, "expected one line, got: \(outcome.stderr)",
                   file: file, line: line)
    for part in parts {
        XCTAssertTrue(outcome.stderr.contains(part), "'\(outcome.stderr)' lacks '\(part)'", file: file, line: line)
    }
}

/// Runs mechscope expecting success (status 0) and parses what it printed as JSON.
func runMechscopeJSON(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
    let outcome = try MechscopeProcess.run(args)
    XCTAssertEqual(outcome.status, 0, outcome.stderr, file: file, line: line)
    return try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
}

/// As `runMechscopeJSON`, for output that is one JSON object.
func runMechscopeJSONObject(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    try XCTUnwrap(try runMechscopeJSON(args, file: file, line: line) as? [String: Any], "not a JSON object", file: file, line: line)
}

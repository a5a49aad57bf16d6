import Foundation
import MechTestSupport
import XCTest

/// GGUF files through the binary: a catalogue of malformed files, each refused in one line naming the
/// file and what is wrong; and the real SmolLM2-135M-Instruct Q4_1 file (scripts/fetch-real-models)
/// opened by path and by its folder, with `info`'s GGUF facts and " Paris" after "The capital of France is".
final class GGUFCommandTests: XCTestCase {
    private let golden = GoldenFixtures.root.appendingPathComponent("gguf/metadata-and-types.gguf")

    /// Offset just past a tensor's name in the header (where its dimension count starts).
    private func afterName(_ name: String, in bytes: [UInt8]) throws -> Int {
        let needle = Array(name.utf8)
        for i in 0...(bytes.count - needle.count) where Array(bytes[i..<(i + needle.count)]) == needle {
            return i + needle.count
        }
        throw XCTSkip("tensor name \(name) not found in the golden header")
    }

    private func malformed(_ label: String, _ edit: (inout [UInt8]) throws -> Void) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: golden))
        try edit(&bytes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(getpid()).gguf")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    private func put(_ value: UInt64, at offset: Int, _ bytes: inout [UInt8]) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    private func read(at offset: Int, _ bytes: [UInt8]) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }

    func testMalformedFilesAreOneLineErrors() throws {
        var checked = 0
        func expect(_ path: String, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) throws {
            try assertFailsInOneLine(["info", path], mentions: [path] + parts, file: file, line: line)
            checked += 1
        }
        try expect(try malformed("magic") { $0[0] = 0x7F; $0[1] = 0x45 }, ["not a GGUF file (starts with 7f 45"])
        try expect(try malformed("version") { $0[4] = 9 }, ["GGUF version 9 is not supported (versions 2 and 3 are)"])
        try expect(try malformed("truncated-header") { $0.removeLast($0.count - 100) }, ["tensor count 8 at byte 8 cannot fit in the 100-byte file"])
        try expect(try malformed("truncated") { $0.removeLast($0.count - 600) }, ["file ends at byte 600 while reading", "(file truncated?)"])
        // The first key's length (bytes 24–31) pointing far past the end.
        try expect(try malformed("string-length") { put(1 << 40, at: 24, &$0) }, ["while reading metadata key 0", "(file truncated?)"])
        try expect(try malformed("tensor-count") { put(1 << 50, at: 8, &$0) }, ["tensor count 1125899906842624", "cannot fit in the 1824-byte file"])
        try expect(try malformed("kv-count") { put(1 << 33, at: 16, &$0) }, ["metadata entry count 8589934592", "cannot fit"])
        try expect(try malformed("value-type") { $0[24 + 8 + 20] = 77 }, ["metadata 'general.architecture' has unknown value type 77"])
        try expect(try malformed("tensor-type") { bytes in
            let at = try afterName("q8_0.vector", in: bytes) + 4 + 8   // n_dims, one dim
            bytes[at] = 99
        }, ["tensor 'q8_0.vector' has unknown ggml type 99"])
        try expect(try malformed("misaligned") { bytes in
            let at = try afterName("q8_0.vector", in: bytes) + 4 + 8 + 4
            put(read(at: at, bytes) + 4, at: at, &bytes)
        }, ["tensor 'q8_0.vector' starts at data offset", "not a multiple of the alignment 32"])
        try expect(try malformed("overlap") { bytes in
            let matrix = try afterName("q8_0.matrix", in: bytes) + 4 + 16 + 4
            let vector = try afterName("q8_0.vector", in: bytes) + 4 + 8 + 4
            put(read(at: matrix, bytes), at: vector, &bytes)
        }, ["tensors 'q8_0.matrix' and 'q8_0.vector' overlap"])
        try expect(try malformed("past-end") { bytes in
            let at = try afterName("q8_0.vector", in: bytes) + 4 + 8 + 4
            put(read(at: at, bytes) + 1 << 20, at: at, &bytes)
        }, ["tensor 'q8_0.vector' ends at byte", "(file truncated?)"])
        try expect(try malformed("dims-overflow") { bytes in
            let at = try afterName("q8_0.matrix", in: bytes) + 4     // its two dimensions
            put(UInt64(Int32.max) - 31, at: at, &bytes)
            put(UInt64(Int32.max), at: at + 8, &bytes)
        }, ["tensor 'q8_0.matrix' has dimensions", "more elements than a"])
        try expect(try malformed("dims-count") { bytes in
            bytes[try afterName("q8_0.matrix", in: bytes)] = 9
        }, ["tensor 'q8_0.matrix' has 9 dimensions (1 to 4 allowed)"])
        try expect(try malformed("architecture") { bytes in
            let at = try afterName("general.architecture", in: bytes) + 4 + 8   // type, string length
            bytes[at + 4] = UInt8(ascii: "b")                                   // "llama" → "llamb"
        }, ["GGUF architecture 'llamb' is not supported (supported: llama, qwen2, gpt2)"])
        try expect(golden.path, ["GGUF metadata 'tokenizer.ggml.tokens' is missing or not an array"])
        XCTAssertEqual(checked, 16)
    }

    func testAFolderWithSeveralGGUFFilesAsksWhichOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("two-gguf-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        for name in ["a.gguf", "b.gguf"] {
            try FileManager.default.copyItem(at: golden, to: folder.appendingPathComponent(name))
        }
        try assertFailsInOneLine(["info", folder.path], mentions: ["\(folder.path) holds 2 GGUF files (a.gguf, b.gguf): name the one to open"])
    }

    func testRealSmolLM2ByFileAndByFolder() throws {
        let file = try RealModels.require(RealModels.smolLM2GGUF)
        let info = try runMechscopeJSONObject(["info", file.path, "--json"])
        XCTAssertEqual(info["model_type"] as? String, "llama")
        XCTAssertEqual(info["n_layers"] as? Int, 30)
        XCTAssertEqual(info["n_kv_heads"] as? Int, 3)
        let gguf = try XCTUnwrap(info["gguf"] as? [String: String])
        XCTAssertEqual(gguf["general.license"], "apache-2.0")
        XCTAssertEqual(gguf["tokenizer.ggml.model"], "gpt2")
        XCTAssertEqual(gguf["version"], "3")
        XCTAssertEqual(gguf["tensors"], "272")

        for model in [file.path, file.deletingLastPathComponent().path] {
            let outcome = try MechscopeProcess.run(["run", model, "--prompt", "The capital of France is"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stdout.contains("ids: 504 3575 282 4649 314"), outcome.stdout)
            XCTAssertTrue(outcome.stdout.contains("1. ' Paris'"), outcome.stdout)
        }
    }
}

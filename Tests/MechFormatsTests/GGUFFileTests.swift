import Foundation
import XCTest
import MechTestSupport
@testable import MechFormats

/// The GGUF reader against files written by gguf-py's GGUFWriter and quantizers
/// (Tests/golden/make_gguf_goldens.py): every metadata type, the tensor table, and every tensor
/// decoded to the same float32 values gguf-py's `quants.dequantize` gives — quantized with gguf-py's own
/// quantizers (Q4_0, Q4_1, Q8_0), or random blocks for the types it only dequantizes (Q5_*, K-quants).
final class GGUFFileTests: XCTestCase {
    private let folder = GoldenFixtures.root.appendingPathComponent("gguf")

    private func expectedCases() throws -> [[String: Any]] {
        let cases = try GoldenJSON.object(at: folder.appendingPathComponent("expected.json"))["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 3, "expected.json lists the three golden files")
        return cases
    }

    func testTensorsDecodeExactlyAsGGUFPyDoes() throws {
        var checked = 0
        for c in try expectedCases() {
            let file = try GGUFFile(url: folder.appendingPathComponent(c["file"] as! String))
            XCTAssertEqual(file.alignment, c["alignment"] as! Int)
            XCTAssertEqual(file.dataStart, c["data_offset"] as! Int, "data section starts where gguf-py's reader says")
            let tensors = c["tensors"] as! [[String: Any]]
            XCTAssertEqual(file.tensorNames, tensors.map { $0["name"] as! String })
            for t in tensors {
                let name = t["name"] as! String
                let info = try XCTUnwrap(file.info(named: name))
                XCTAssertEqual(info.type.name, t["type"] as! String, name)
                XCTAssertEqual(info.shape, GoldenJSON.ints(t["shape"]), name)
                let reference = folder.appendingPathComponent("\(name).npy")
                XCTAssertEqual(try NpyReader.shape(reference), info.shape, name)
                let tensor = try file.tensor(named: name)
                XCTAssertEqual(tensor.shape, info.shape)
                // Exact: the same float32 arithmetic (d·q + m) on the same bytes.
                XCTAssertEqual(tensor.scalars, try NpyReader.floats(reference), name)
                checked += 1
            }
        }
        XCTAssertEqual(checked, 23, "8 tensors (F32 ×2, F16, BF16, Q4_0, Q4_1, Q8_0 ×2) in each of 2 files, "
                       + "and random blocks of Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K")
    }

    func testEveryMetadataTypeReadsBack() throws {
        let c = try expectedCases()[0]
        let file = try GGUFFile(url: folder.appendingPathComponent(c["file"] as! String))
        let expected = c["metadata"] as! [String: [Any]]
        XCTAssertEqual(file.metadataKeys.count, expected.count)
        XCTAssertEqual(Set(file.metadataKeys), Set(expected.keys))
        XCTAssertEqual(file.architecture, "llama")
        for (key, pair) in expected {
            let value = try XCTUnwrap(file.metadata[key], key)
            XCTAssertEqual(value.typeName, pair[0] as! String, key)
            XCTAssertEqual(Self.plain(value), pair[1] as! NSObject, key)
        }
        XCTAssertEqual(file.metadata["test.u64"]?.int, 1 << 40 + 7)
        XCTAssertEqual(file.metadata["test.text"]?.string, "Grüße, 世界 🙂\n\t")
        XCTAssertEqual(file.metadata["test.nested"], .array([.array([.int32(1), .int32(2)]), .array([.int32(3)])]))
    }

    /// A value as JSONSerialization would give it, to compare with expected.json.
    private static func plain(_ value: GGUFValue) -> NSObject {
        switch value {
        case .bool(let b): return NSNumber(value: b)
        case .string(let s): return s as NSString
        case .array(let items): return items.map(plain) as NSArray
        case .float32, .float64: return NSNumber(value: value.double!)
        case .uint64(let v): return NSNumber(value: v)
        default: return NSNumber(value: value.int!)
        }
    }

    // MARK: bad files: one line each, naming the file and what is wrong

    private func scratchCopy(_ transform: (inout [UInt8]) -> Void) throws -> URL {
        var bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("metadata-and-types.gguf")))
        transform(&bytes)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(getpid())-\(UUID().uuidString).gguf")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func assertOneLineError(_ url: URL, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try GGUFFile(url: url), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
            XCTAssertTrue(text.contains(url.path), text, file: file, line: line)
            for p in parts { XCTAssertTrue(text.contains(p), "'\(p)' not in: \(text)", file: file, line: line) }
        }
    }

    func testTruncatedFilesSayWhereTheyEnd() throws {
        let file = try GGUFFile(url: folder.appendingPathComponent("metadata-and-types.gguf"))
        // GGUFWriter pads the last tensor to the alignment; cutting only padding leaves a whole file.
        let dataEnd = file.tensors.map(\.fileByteRange.upperBound).max()!
        var cuts = 0
        for cut in stride(from: 0, to: dataEnd, by: 7) {
            let url = try scratchCopy { $0.removeLast($0.count - cut) }
            XCTAssertThrowsError(try GGUFFile(url: url)) { error in
                let text = "\(error)"
                XCTAssertFalse(text.contains("\n"))
                XCTAssertTrue(text.contains("truncated") || text.contains("not a GGUF file") || text.contains("cannot fit"), text)
            }
            cuts += 1
        }
        XCTAssertGreaterThan(cuts, 200)
    }

    func testWrongMagicVersionAndCounts() throws {
        assertOneLineError(try scratchCopy { $0[0] = UInt8(ascii: "P"); $0[1] = UInt8(ascii: "K") },
                           contains: ["not a GGUF file (starts with 50 4b 55 46"])
        assertOneLineError(try scratchCopy { $0[4] = 9 }, contains: ["GGUF version 9 is not supported"])
        // tensor count (bytes 8–15) far larger than the file can hold
        assertOneLineError(try scratchCopy { $0[8] = 0xFF; $0[12] = 0xFF }, contains: ["tensor count", "cannot fit in the 1824-byte file"])
        // metadata count (bytes 16–23)
        assertOneLineError(try scratchCopy { $0[22] = 0x01 }, contains: ["metadata entry count", "cannot fit"])
    }

    func testUnknownValueAndTensorTypes() throws {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("metadata-and-types.gguf")))
        // The first key is general.architecture: 8-byte length, 20 bytes of key, then its uint32 type.
        let typeOffset = 24 + 8 + "general.architecture".utf8.count
        XCTAssertEqual(bytes[typeOffset], 8, "string type")
        assertOneLineError(try scratchCopy { $0[typeOffset] = 77 },
                           contains: ["metadata 'general.architecture' has unknown value type 77"])

        let file = try GGUFFile(url: folder.appendingPathComponent("metadata-and-types.gguf"))
        // The last tensor entry ends 8 (offset) + 4 (type) bytes before the header's end.
        let headerEnd = Self.headerEnd(bytes, file)
        assertOneLineError(try scratchCopy { $0[headerEnd - 12] = 99 },
                           contains: ["tensor 'q8_0.vector' has unknown ggml type 99"])
        assertOneLineError(try scratchCopy { $0[headerEnd - 8] = 1 },
                           contains: ["tensor 'q8_0.vector' starts at data offset", "not a multiple of the alignment 32"])
        assertOneLineError(try scratchCopy { $0[headerEnd - 3] = 0x10 },
                           contains: ["tensor 'q8_0.vector' ends at byte", "(file truncated?)"])
    }

    func testUnsupportedQuantizationIsNamedWhenRead() throws {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("metadata-and-types.gguf")))
        let file = try GGUFFile(url: folder.appendingPathComponent("metadata-and-types.gguf"))
        let headerEnd = Self.headerEnd(bytes, file)
        // Q8_0 [32] is 34 bytes; Q8_1 is 40 (would not fit the slot) — use Q4_K's neighbour IQ4_NL (32 elements, 18 bytes).
        let url = try scratchCopy { $0[headerEnd - 12] = UInt8(GGMLType.iq4_nl.rawValue) }
        let changed = try GGUFFile(url: url)
        XCTAssertThrowsError(try changed.tensor(named: "q8_0.vector")) { error in
            XCTAssertEqual("\(error)", "\(url.path): tensor 'q8_0.vector' is IQ4_NL, which Mechscope cannot read yet "
                + "(supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K)")
        }
        XCTAssertThrowsError(try file.tensor(named: "q8_0.vectr")) { error in
            XCTAssertTrue("\(error)".contains("no tensor 'q8_0.vectr' (did you mean 'q8_0.vector'"), "\(error)")
        }
    }

    /// Byte offset just past the tensor table (where padding to the data section begins).
    private static func headerEnd(_ bytes: [UInt8], _ file: GGUFFile) -> Int {
        // The data section starts at the next multiple of the alignment; the table ends at or before it,
        // and the last entry's uint64 offset is the last 8 bytes of the table. Search back for it.
        let last = file.tensors.last!
        let offset = UInt64(last.fileByteRange.lowerBound - file.dataStart)
        var end = file.dataStart
        while end >= 8 {
            let value = bytes[(end - 8)..<end].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            if value == offset, bytes[end - 12] == UInt8(last.type.rawValue) { return end }
            end -= 1
        }
        return -1
    }
}

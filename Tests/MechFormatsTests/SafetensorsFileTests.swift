import Foundation
import XCTest
import MechTensor
@testable import MechFormats

final class SafetensorsFileTests: TemporaryDirectoryTestCase {
    // MARK: Values

    func testF32RoundTripIsBorrowedFromTheMapping() throws {
        var file = SafetensorsTestFile()
        file.addF32("w", shape: [2, 3], values: [0, 1.5, -2, .pi, -0.0, .greatestFiniteMagnitude])
        file.addF32("b", shape: [3], values: [7, 8, 9])
        file.metadata = ["format": "pt"]
        let url = try write(file.bytes(), to: "model.safetensors")

        let st = try SafetensorsFile(url: url)
        XCTAssertEqual(st.tensorNames, ["b", "w"])
        XCTAssertEqual(st.metadata, ["format": "pt"])
        XCTAssertEqual(st.fileSize, try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        let w = try st.tensor(named: "w")
        XCTAssertEqual(w.shape, [2, 3])
        XCTAssertEqual(w.scalars.map(\.bitPattern),
                       [0, 1.5, -2, .pi, -0.0, .greatestFiniteMagnitude].map { (x: Float) in x.bitPattern })
        XCTAssertTrue(w.buffer.isBorrowed)
        XCTAssertEqual(try st.tensor(named: "b").scalars, [7, 8, 9])

        let info = try XCTUnwrap(st.info(named: "b"))
        XCTAssertEqual(info.dtype, .f32)
        XCTAssertEqual(info.shape, [3])
        XCTAssertEqual(info.byteRange, 24..<36)
        XCTAssertEqual(info.fileByteRange.lowerBound, st.dataStart + 24)
        XCTAssertNil(st.info(named: "nope"))
    }

    func testBorrowedTensorOutlivesTheFileObject() throws {
        var file = SafetensorsTestFile()
        file.addF32("w", shape: [4], values: [1, 2, 3, 4])
        let url = try write(file.bytes(), to: "a.safetensors")
        var tensor: Tensor?
        do {
            let st = try SafetensorsFile(url: url)
            tensor = try st.tensor(named: "w")
        }
        // The mapping is owned by the buffer, so the values stay readable after the file object is gone.
        XCTAssertEqual(tensor?.scalars, [1, 2, 3, 4])
    }

    func testMisalignedF32IsCopiedWithCorrectValues() throws {
        var file = SafetensorsTestFile()
        file.extraHeaderBytes = 2  // data section starts at an offset ≡ 2 (mod 4)
        file.addF32("w", shape: [3], values: [1.25, -6, 0x1p-133])
        let url = try write(file.bytes(), to: "m.safetensors")
        let st = try SafetensorsFile(url: url)
        XCTAssertEqual(st.dataStart % 4, 2)
        let w = try st.tensor(named: "w")
        XCTAssertFalse(w.buffer.isBorrowed)
        XCTAssertEqual(w.scalars.map(\.bitPattern), [1.25, -6, 0x1p-133].map { (x: Float) in x.bitPattern })
        XCTAssertTrue(try st.tensor(named: "w").buffer === w.buffer, "the copy is cached")
    }

    func testF16EdgeValuesConvertExactlyAndAreCached() throws {
        let bits: [UInt16] = [0x3C00, 0xC000, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0x7C00, 0xFC00, 0x8000, 0x0000, 0x3555, 0x7E00]
        let expected: [Float] = [1, -2, 0x1p-24, 1023 * 0x1p-24, 0x1p-14, 65504, .infinity, -.infinity, -0.0, 0,
                                 0.333251953125]
        var file = SafetensorsTestFile()
        file.add16("h", dtype: "F16", shape: [3, 4], bits: bits)
        let url = try write(file.bytes(), to: "h.safetensors")
        let st = try SafetensorsFile(url: url)

        let first = try st.tensor(named: "h")
        XCTAssertEqual(first.shape, [3, 4])
        XCTAssertFalse(first.buffer.isBorrowed)
        let values = first.scalars
        XCTAssertEqual(values.prefix(11).map(\.bitPattern), expected.map(\.bitPattern))
        XCTAssertEqual(values[8].sign, .minus, "negative zero keeps its sign")
        XCTAssertTrue(values[11].isNaN)

        let second = try st.tensor(named: "h")
        XCTAssertTrue(second.buffer === first.buffer)
        XCTAssertEqual(second.pointer, first.pointer)
    }

    func testConcurrentFirstUseConvertsOnce() throws {
        var file = SafetensorsTestFile()
        file.add16("h", dtype: "F16", shape: [1024], bits: [UInt16](repeating: 0x3C00, count: 1024))
        let st = try SafetensorsFile(url: write(file.bytes(), to: "c.safetensors"))
        let lock = NSLock()
        var buffers: [ObjectIdentifier] = []
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            guard let tensor = try? st.tensor(named: "h") else { return }
            lock.lock()
            buffers.append(ObjectIdentifier(tensor.buffer))
            lock.unlock()
        }
        XCTAssertEqual(buffers.count, 16)
        XCTAssertEqual(Set(buffers).count, 1, "every caller gets the one cached conversion")
        XCTAssertEqual(try st.tensor(named: "h").scalars, [Float](repeating: 1, count: 1024))
    }

    func testBF16RoundTrip() throws {
        var file = SafetensorsTestFile()
        file.add16("g", dtype: "BF16", shape: [5], bits: [0x3F80, 0xC060, 0x7F80, 0x8000, 0x0001])
        file.extraHeaderBytes = 1  // odd address: conversion must not assume alignment
        let st = try SafetensorsFile(url: write(file.bytes(), to: "g.safetensors"))
        let values = try st.tensor(named: "g").scalars
        XCTAssertEqual(values.map(\.bitPattern), [1.0, -3.5, Float.infinity, -0.0, Float(bitPattern: 0x0001_0000)].map(\.bitPattern))
        XCTAssertEqual(values[4], 0x1p-133)
    }

    func testFloat16ConversionMatchesHardwareForEveryBitPattern() {
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        for raw in 0...UInt16.max {
            let ours = HalfPrecisionConversion.float(fromFloat16Bits: raw)
            let reference = Float(Float16(bitPattern: raw))
            if reference.isNaN {
                XCTAssertTrue(ours.isNaN, "bits \(raw)")
            } else if ours.bitPattern != reference.bitPattern {
                XCTFail("bits \(String(raw, radix: 16)): \(ours) vs \(reference)")
                return
            }
        }
        #endif
    }

    func testEmptyAndScalarTensors() throws {
        var file = SafetensorsTestFile()
        file.add("empty", dtype: "F32", shape: [0, 4], data: [])
        file.addF32("scalar", shape: [], values: [42])
        let st = try SafetensorsFile(url: write(file.bytes(), to: "s.safetensors"))
        XCTAssertEqual(try st.tensor(named: "empty").shape, [0, 4])
        XCTAssertEqual(try st.tensor(named: "empty").count, 0)
        let scalar = try st.tensor(named: "scalar")
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.scalars, [42])
    }

    func testReadsFileWrittenByTheSafetensorsLibrary() throws {
        let st = try SafetensorsFile(url: fixturesDirectory.appendingPathComponent("reference.safetensors"))
        XCTAssertEqual(st.tensorNames, ["bf16", "f16", "f32"])
        XCTAssertEqual(st.metadata, ["format": "pt"])
        let f32 = try st.tensor(named: "f32")
        XCTAssertEqual(f32.shape, [2, 3])
        XCTAssertEqual(f32.scalars, [0, 1, 2, 3, 4, 5])
        XCTAssertTrue(f32.buffer.isBorrowed)
        XCTAssertEqual(try st.tensor(named: "f16").scalars.map(\.bitPattern),
                       [1, -2, 0x1p-24, 0x1p-14, 65504, .infinity, -0.0].map { (x: Float) in x.bitPattern })
        XCTAssertEqual(try st.tensor(named: "bf16").scalars, [1, -3.5, 0x1p100])
    }

    func testOpeningIsProportionalToTheHeaderNotTheData() throws {
        // A 4 GiB sparse file: opening and borrowing it must not bring its data section into memory
        // (checked by resident memory, which a read of the data would grow by gigabytes).
        let elements = 1 << 30
        var file = SafetensorsTestFile()
        file.add("huge", dtype: "F32", shape: [elements], data: [], offsets: (0, 4 * elements))
        let url = try write(file.bytes(), to: "huge.safetensors")
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(try Data(contentsOf: url).count + 4 * elements))
        try handle.close()

        let before = Self.residentBytes()
        let st = try SafetensorsFile(url: url)
        let huge = try st.tensor(named: "huge")
        let grown = Self.residentBytes() - before
        XCTAssertLessThan(grown, 64 << 20, "open + borrow made \(grown) bytes resident")
        XCTAssertTrue(huge.buffer.isBorrowed)
        XCTAssertEqual(huge.count, elements)
        XCTAssertEqual(huge.pointer[elements - 1], 0)
    }

    /// VmRSS of this process in bytes.
    private static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "") else { return 0 }
        return kb * 1024
    }

    // MARK: Errors

    func testFileShorterThanEightBytes() throws {
        let url = try write([1, 2, 3, 4, 5], to: "short.safetensors")
        let error = assertFormatError(try SafetensorsFile(url: url)) {
            if case .truncatedFile(_, 5) = $0 { return true } else { return false }
        }
        XCTAssertEqual(error?.description.hasPrefix("short.safetensors: file is only 5 bytes"), true)
    }

    func testHeaderLengthBeyondFile() throws {
        let bytes = SafetensorsTestFile.raw(headerBytes: Array("{}".utf8), data: [], declaredLength: 1000)
        let url = try write(bytes, to: "x.safetensors")
        assertFormatError(try SafetensorsFile(url: url)) {
            if case .headerPastEnd(_, 1000, 10) = $0 { return true } else { return false }
        }
        let tooLarge = SafetensorsTestFile.raw(headerBytes: Array("{}".utf8), data: [], declaredLength: 200_000_000)
        assertFormatError(try SafetensorsFile(url: write(tooLarge, to: "y.safetensors"))) {
            if case .headerTooLarge(_, 200_000_000, _) = $0 { return true } else { return false }
        }
    }

    func testInvalidJSONHeader() throws {
        let url = try write(SafetensorsTestFile.raw(header: "{\"a\": {\"dtype\": }"), to: "j.safetensors")
        let error = assertFormatError(try SafetensorsFile(url: url)) {
            if case .invalidHeaderJSON(_, 24, _) = $0 { return true } else { return false }
        }
        XCTAssertEqual(error?.description, "j.safetensors: header is not valid JSON: unexpected character '}' at byte 24")

        assertFormatError(try SafetensorsFile(url: write(SafetensorsTestFile.raw(header: "[1, 2]"), to: "k.safetensors"))) {
            if case .invalidHeader = $0 { return true } else { return false }
        }
    }

    func testOffsetPastEndOfData() throws {
        var file = SafetensorsTestFile()
        file.add("h.0.attn.c_attn.weight", dtype: "F32", shape: [2], data: [0, 0, 0, 0], offsets: (0, 8))
        let url = try write(file.bytes(), to: "model.safetensors")
        let error = assertFormatError(try SafetensorsFile(url: url)) {
            if case .tensorPastEnd(_, "h.0.attn.c_attn.weight", 8, 4) = $0 { return true } else { return false }
        }
        XCTAssertEqual(error?.description, "model.safetensors: tensor 'h.0.attn.c_attn.weight' ends at byte 8 "
            + "but the file's data section is only 4 bytes (file truncated?)")
    }

    func testDtypeShapeByteSizeMismatch() throws {
        var file = SafetensorsTestFile()
        file.add("w", dtype: "F16", shape: [2, 3], data: [UInt8](repeating: 0, count: 24))
        let url = try write(file.bytes(), to: "m.safetensors")
        assertFormatError(try SafetensorsFile(url: url)) {
            if case .byteSizeMismatch(_, "w", "F16", [2, 3], 12, 24) = $0 { return true } else { return false }
        }
    }

    func testOverlappingRanges() throws {
        var file = SafetensorsTestFile()
        file.add("a", dtype: "F32", shape: [2], data: [UInt8](repeating: 0, count: 8), offsets: (0, 8))
        file.add("b", dtype: "F32", shape: [2], data: [UInt8](repeating: 0, count: 8), offsets: (4, 12))
        let url = try write(file.bytes(), to: "o.safetensors")
        assertFormatError(try SafetensorsFile(url: url)) {
            if case .overlappingTensors(_, "b", "a", 4) = $0 { return true } else { return false }
        }
    }

    func testBeginAfterEndAndBadEntries() throws {
        let data = [UInt8](repeating: 0, count: 8)
        let cases: [(String, (FormatError) -> Bool)] = [
            ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", {
                if case .invalidDataOffsets(_, "a", 8, 4) = $0 { return true } else { return false } }),
            ("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", {
                if case .invalidTensorEntry(_, "a", _) = $0 { return true } else { return false } }),
            ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", {
                if case .invalidTensorEntry(_, "a", _) = $0 { return true } else { return false } }),
            ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", {
                if case .invalidTensorEntry(_, "a", "missing 'data_offsets'") = $0 { return true } else { return false } }),
            ("{\"a\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]}}", {
                if case .unknownDtype(_, "a", "Q4") = $0 { return true } else { return false } }),
            ("{\"__metadata__\":{\"k\":1}}", {
                if case .invalidHeader = $0 { return true } else { return false } }),
            ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},}", {
                if case .invalidHeaderJSON = $0 { return true } else { return false } }),
            ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{}}", {
                if case .invalidHeaderJSON(_, _, "duplicate key \"a\"") = $0 { return true } else { return false } }),
            ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904, 4],\"data_offsets\":[0,4]}}", {
                if case .invalidTensorEntry(_, "a", _) = $0 { return true } else { return false } }),
        ]
        for (index, (header, matches)) in cases.enumerated() {
            let url = try write(SafetensorsTestFile.raw(header: header, data: data), to: "bad\(index).safetensors")
            assertFormatError(try SafetensorsFile(url: url), matches)
        }
    }

    func testMissingTensorSuggestsSimilarNames() throws {
        var file = SafetensorsTestFile()
        file.addF32("h.0.attn.c_attn.weight", shape: [1], values: [1])
        file.addF32("h.0.mlp.c_fc.weight", shape: [1], values: [1])
        file.addF32("wte.weight", shape: [1], values: [1])
        let st = try SafetensorsFile(url: write(file.bytes(), to: "model.safetensors"))
        let error = assertFormatError(try st.tensor(named: "h.0.attn.c_attn.wieght")) {
            if case .missingTensor("h.0.attn.c_attn.wieght", _, let suggestions) = $0 {
                return suggestions.first == "h.0.attn.c_attn.weight"
            }
            return false
        }
        XCTAssertEqual(error?.description.contains("similar names: h.0.attn.c_attn.weight"), true)
    }

    func testUnsupportedDtypeNamesTensorAndFile() throws {
        var file = SafetensorsTestFile()
        file.add("position_ids", dtype: "I64", shape: [2], data: SafetensorsTestFile.bytes(of: [Int64(0), 1]))
        let st = try SafetensorsFile(url: write(file.bytes(), to: "ids.safetensors"))
        XCTAssertEqual(st.info(named: "position_ids")?.dtype, .i64)
        let error = assertFormatError(try st.tensor(named: "position_ids")) {
            if case .unsupportedDtype(let path, "position_ids", "I64") = $0 { return path.hasSuffix("ids.safetensors") }
            return false
        }
        XCTAssertEqual(error?.description.hasPrefix("ids.safetensors: tensor 'position_ids' has unsupported dtype I64"), true)
    }

    func testNonexistentFileAndDirectory() throws {
        assertFormatError(try SafetensorsFile(url: directory.appendingPathComponent("absent.safetensors"))) {
            if case .cannotOpen(_, "No such file or directory") = $0 { return true } else { return false }
        }
        assertFormatError(try SafetensorsFile(url: directory)) {
            if case .notARegularFile = $0 { return true } else { return false }
        }
    }
}

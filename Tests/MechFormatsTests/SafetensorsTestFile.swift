import Foundation
import XCTest
@testable import MechFormats

/// Builds safetensors bytes in tests: tensors laid out back to back unless offsets are overridden,
/// header padded with spaces so the data section starts at `dataAlignment`-aligned offsets
/// (or deliberately misaligned with `extraHeaderBytes`).
struct SafetensorsTestFile {
    struct Entry {
        var name: String
        var dtype: String
        var shape: [Int]
        var data: [UInt8]
        var offsets: (Int, Int)? = nil
    }

    var entries: [Entry] = []
    var metadata: [String: String]? = nil
    /// Spaces added after the header JSON beyond the 8-byte alignment padding.
    var extraHeaderBytes = 0

    mutating func add(_ name: String, dtype: String, shape: [Int], data: [UInt8], offsets: (Int, Int)? = nil) {
        entries.append(Entry(name: name, dtype: dtype, shape: shape, data: data, offsets: offsets))
    }

    mutating func addF32(_ name: String, shape: [Int], values: [Float]) {
        add(name, dtype: "F32", shape: shape, data: Self.bytes(of: values.map(\.bitPattern)))
    }

    mutating func add16(_ name: String, dtype: String, shape: [Int], bits: [UInt16]) {
        add(name, dtype: dtype, shape: shape, data: Self.bytes(of: bits))
    }

    /// Header JSON plus the concatenated data of all entries.
    func headerAndData() -> (header: String, data: [UInt8]) {
        var parts: [String] = []
        if let metadata {
            let members = metadata.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }
            parts.append("\"__metadata__\":{\(members.joined(separator: ","))}")
        }
        var data: [UInt8] = []
        for entry in entries {
            let begin = data.count
            data += entry.data
            let (b, e) = entry.offsets ?? (begin, data.count)
            let shape = entry.shape.map(String.init).joined(separator: ",")
            parts.append("\"\(entry.name)\":{\"dtype\":\"\(entry.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(b),\(e)]}")
        }
        return ("{" + parts.joined(separator: ",") + "}", data)
    }

    func bytes() -> [UInt8] {
        let (header, data) = headerAndData()
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        headerBytes += [UInt8](repeating: 0x20, count: extraHeaderBytes)
        return Self.raw(headerBytes: headerBytes, data: data)
    }

    /// A file from an explicit header and data, for malformed inputs.
    static func raw(header: String, data: [UInt8] = []) -> [UInt8] {
        raw(headerBytes: Array(header.utf8), data: data)
    }

    static func raw(headerBytes: [UInt8], data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
        bytes(of: [declaredLength ?? UInt64(headerBytes.count)]) + headerBytes + data
    }

    static func bytes<T: FixedWidthInteger>(of values: [T]) -> [UInt8] {
        var out: [UInt8] = []
        for value in values { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        return out
    }
}

/// A fresh temporary directory per test, removed afterwards.
class TemporaryDirectoryTestCase: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mechformats-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url
    }

    @discardableResult
    func write(_ text: String, to name: String) throws -> URL {
        try write(Array(text.utf8), to: name)
    }

    /// Asserts `body` throws a `FormatError` for which `matches` is true; returns it for further checks.
    @discardableResult
    func assertFormatError<T>(_ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line,
                              _ matches: (FormatError) -> Bool) -> FormatError? {
        do {
            _ = try body()
            XCTFail("expected a FormatError, nothing was thrown", file: file, line: line)
        } catch let error as FormatError {
            XCTAssertTrue(matches(error), "unexpected error: \(error)", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "description must be one line", file: file, line: line)
            return error
        } catch {
            XCTFail("expected a FormatError, got \(error)", file: file, line: line)
        }
        return nil
    }
}

/// The directory of committed fixture files (made by Fixtures/make_fixtures.py).
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

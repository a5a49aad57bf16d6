import Foundation
import XCTest
import MechTensor
@testable import MechFormats

final class NpyFileTests: TemporaryDirectoryTestCase {
    func testHeaderForShape2x3IsByteExact() throws {
        let bytes = [UInt8](NpyFile.encode(Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])))
        let dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
        let header = "\u{93}NUMPY".unicodeScalars.map { UInt8($0.value) } + [1, 0, 118, 0]
            + Array(dictionary.utf8) + [UInt8](repeating: 0x20, count: 20 + 38) + [0x0A]
        XCTAssertEqual(header.count, 128)
        XCTAssertEqual(Array(bytes.prefix(128)), header)
        XCTAssertEqual(bytes.count, 128 + 24)
        XCTAssertEqual(Array(bytes[(128 + 4)..<(128 + 8)]), [0x00, 0x00, 0x80, 0x3F])  // 1.0 little-endian
    }

    func testEncodingMatchesNumpyFileByteForByte() throws {
        let reference = try Data(contentsOf: fixturesDirectory.appendingPathComponent("arange_2x3_f32.npy"))
        XCTAssertEqual(NpyFile.encode(Tensor(shape: [2, 3], values: [0, 1, 2, 3, 4, 5])), reference)
    }

    func testReadsFileWrittenByNumpy() throws {
        let tensor = try NpyFile.read(from: fixturesDirectory.appendingPathComponent("arange_2x3_f32.npy"))
        XCTAssertEqual(tensor.shape, [2, 3])
        XCTAssertEqual(tensor.scalars, [0, 1, 2, 3, 4, 5])
    }

    func testReadsInt64Ids() throws {
        let url = fixturesDirectory.appendingPathComponent("token_ids_i8.npy")
        XCTAssertEqual(try NpyFile.readIntegers(from: url), NpyFile.IntegerArray(shape: [1, 4], values: [50256, 15496, 11, 995]))
        XCTAssertEqual(try NpyFile.read(from: url).scalars, [50256, 15496, 11, 995])
    }

    func testRoundTripShapes() throws {
        let cases: [Tensor] = [
            Tensor(shape: [2, 3], values: [1.5, -2, .infinity, -0.0, 0x1p-140, 3]),
            Tensor(shape: [5], values: [1, 2, 3, 4, 5]),
            Tensor(shape: [], values: [7]),
            Tensor(shape: [0, 4], values: []),
            Tensor(shape: [1, 2, 1, 2], values: [9, 8, 7, 6]),
        ]
        for (i, tensor) in cases.enumerated() {
            let url = directory.appendingPathComponent("t\(i).npy")
            try NpyFile.write(tensor, to: url)
            let bytes = try Data(contentsOf: url)
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            XCTAssertEqual((10 + headerLength) % 64, 0, "data of shape \(tensor.shape) starts 64-byte aligned")
            let back = try NpyFile.read(from: url)
            XCTAssertEqual(back.shape, tensor.shape)
            XCTAssertEqual(back.scalars.map(\.bitPattern), tensor.scalars.map(\.bitPattern))
        }
        let oneD = String(decoding: NpyFile.encode(Tensor(shape: [5], values: [1, 2, 3, 4, 5])), as: UTF8.self)
        XCTAssertTrue(oneD.contains("'shape': (5,), }"))
    }

    /// A version 1.0 file with the given dictionary text and data bytes.
    private func npy(_ dictionary: String, data: [UInt8]) -> [UInt8] {
        var header = Array(dictionary.utf8)
        while (10 + header.count + 1) % 64 != 0 { header.append(0x20) }
        header.append(0x0A)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.count), 0] + header + data
    }

    func testReadsFloat64AndRejectsOtherDtypes() throws {
        let doubles = SafetensorsTestFile.bytes(of: [(0.25 as Double).bitPattern, (-8 as Double).bitPattern])
        let f8 = try write(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data: doubles), to: "d.npy")
        XCTAssertEqual(try NpyFile.read(from: f8).scalars, [0.25, -8])

        let f2 = try write(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", data: [0, 60]), to: "h.npy")
        let error = assertFormatError(try NpyFile.read(from: f2)) {
            if case .unsupportedNpyDtype(_, "<f2", ["<f4", "<f8", "<i8"]) = $0 { return true } else { return false }
        }
        XCTAssertEqual(error?.description, "h.npy: .npy dtype '<f2' is not supported (expected one of <f4, <f8, <i8)")
        assertFormatError(try NpyFile.readIntegers(from: f8)) {
            if case .unsupportedNpyDtype(_, "<f8", _) = $0 { return true } else { return false }
        }
    }

    func testMalformedFiles() throws {
        let short = try write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data: [0, 0, 0, 0]),
                              to: "short.npy")
        assertFormatError(try NpyFile.read(from: short)) {
            if case .npyDataSizeMismatch(_, 24, 4) = $0 { return true } else { return false }
        }
        let fortran = try write(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }", data: [0, 0, 0, 0]),
                                to: "f.npy")
        assertFormatError(try NpyFile.read(from: fortran)) {
            if case .invalidNpy = $0 { return true } else { return false }
        }
        let garbage = try write(Array("not numpy at all".utf8), to: "g.npy")
        assertFormatError(try NpyFile.read(from: garbage)) {
            if case .invalidNpy(_, "missing the \\x93NUMPY magic") = $0 { return true } else { return false }
        }
        let noShape = try write(npy("{'descr': '<f4', 'fortran_order': False, }", data: []), to: "n.npy")
        assertFormatError(try NpyFile.read(from: noShape)) {
            if case .invalidNpy(_, "header lacks one of 'descr', 'fortran_order', 'shape'") = $0 { return true }
            return false
        }
        assertFormatError(try NpyFile.read(from: directory.appendingPathComponent("absent.npy"))) {
            if case .cannotOpen(_, "no such file") = $0 { return true } else { return false }
        }
    }
}

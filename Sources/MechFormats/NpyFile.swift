import Foundation
import MechTensor

/// Reading and writing NumPy `.npy` files, the exchange format between mechscope (`mechscope dump`)
/// and Python reference code (golden tests compare against arrays saved with `numpy.save`).
public enum NpyFile {
    /// An integer array read from `.npy` (e.g. token ids saved by a reference script).
    public struct IntegerArray: Equatable, Sendable {
        public let shape: [Int]
        public let values: [Int]
    }

    /// Element types `read(from:)` accepts; all are converted to float32.
    public static let floatDescrs = ["<f4", "<f8", "<i8"]
    /// Element types `readIntegers(from:)` accepts.
    public static let integerDescrs = ["<i8", "<i4"]

    /// The bytes of `tensor` as a version 1.0 `.npy` file of little-endian float32, identical to `numpy.save`'s.
    public static func encode(_ tensor: Tensor) -> Data {
        var data = Data(NpyHeader(descr: "<f4", fortranOrder: false, shape: tensor.shape).encoded())
        var values = tensor.scalars
        for i in values.indices { values[i] = Float(bitPattern: values[i].bitPattern.littleEndian) }
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Writes `tensor` to `url` as `.npy` (atomically, replacing any existing file).
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try FileBytes.writeAtomically(encode(tensor), to: url)
    }

    /// Reads a C-order `.npy` array of `<f4` (or `<f8` / `<i8`, converted) as a float32 tensor.
    public static func read(from url: URL) throws -> Tensor {
        try decode(readBytes(url), path: url.path)
    }

    /// Parses `.npy` bytes; `path` only names the source in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> Tensor {
        let (header, dataStart, count) = try parse(bytes, path: path, accepted: floatDescrs)
        let tensor = Tensor(uninitialized: header.shape)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }  // never empty: the header was parsed
            let source = base.advanced(by: dataStart)
            for i in 0..<count {
                switch header.descr {
                case "<f4":
                    let bits = UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                    tensor.pointer[i] = Float(bitPattern: bits)
                case "<f8":
                    let bits = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                    tensor.pointer[i] = Float(Double(bitPattern: bits))
                default:  // "<i8"
                    tensor.pointer[i] = Float(Int64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i,
                                                                                       as: Int64.self)))
                }
            }
        }
        return tensor
    }

    /// Reads a C-order `.npy` array of `<i8` or `<i4` as integers.
    public static func readIntegers(from url: URL) throws -> IntegerArray {
        try decodeIntegers(readBytes(url), path: url.path)
    }

    /// Parses `.npy` bytes of `<i8` or `<i4`; `path` only names the source in errors.
    public static func decodeIntegers(_ bytes: [UInt8], path: String) throws -> IntegerArray {
        let (header, dataStart, count) = try parse(bytes, path: path, accepted: integerDescrs)
        var values = [Int](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }  // never empty: the header was parsed
            let source = base.advanced(by: dataStart)
            for i in 0..<count {
                values[i] = header.descr == "<i8"
                    ? Int(Int64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)))
                    : Int(Int32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
            }
        }
        return IntegerArray(shape: header.shape, values: values)
    }

    // MARK: Shared parsing

    private static func readBytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try FileBytes.read(url))
    }

    /// Validates header, dtype, order and data length; returns the header, data offset and element count.
    private static func parse(_ bytes: [UInt8], path: String, accepted: [String])
        throws -> (header: NpyHeader, dataStart: Int, count: Int) {
        let (header, dataStart) = try NpyHeader.decode(bytes, path: path)
        guard accepted.contains(header.descr) else {
            throw FormatError.unsupportedNpyDtype(path: path, descr: header.descr, accepted: accepted)
        }
        guard !header.fortranOrder else {
            throw FormatError.invalidNpy(path: path, reason: "Fortran-order arrays are not supported; save a C-order array")
        }
        let elementSize = header.descr.hasSuffix("8") ? 8 : 4
        var expectedBytes = elementSize
        for dimension in header.shape {
            let (product, overflow) = expectedBytes.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw FormatError.invalidNpy(path: path, reason: "shape \(header.shape) is too large") }
            expectedBytes = product
        }
        let actualBytes = bytes.count - dataStart
        guard actualBytes == expectedBytes else {
            throw FormatError.npyDataSizeMismatch(path: path, expectedBytes: expectedBytes, actualBytes: actualBytes)
        }
        return (header, dataStart, expectedBytes / elementSize)
    }
}

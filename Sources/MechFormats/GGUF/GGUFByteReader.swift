/// Reads a GGUF header front to back, little-endian, never past the end of the file: every read
/// checks the bytes remaining and throws `GGUFError.truncated` naming what it was reading.
struct GGUFByteReader {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - offset }

    mutating func integer<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw GGUFError.truncated(path: path, byteOffset: bytes.count, reading: what()) }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    /// A length-prefixed UTF-8 string (uint64 length, then the bytes).
    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let start = offset
        let length = try integer(UInt64.self, what())
        guard length <= UInt64(remaining) else {
            throw GGUFError.truncated(path: path, byteOffset: bytes.count, reading: what())
        }
        let count = Int(length)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw GGUFError.invalidString(path: path, byteOffset: start)
        }
        offset += count
        return text
    }

    /// A count that must fit in what is left of the file when each item takes at least
    /// `minimumItemSize` bytes (so a corrupt count fails here instead of allocating).
    mutating func count(_ what: String, minimumItemSize: Int) throws -> Int {
        let at = offset
        let value = try integer(UInt64.self, "the \(what) count")
        guard value <= UInt64(remaining / max(minimumItemSize, 1)) else {
            throw GGUFError.implausibleCount(path: path, what: what, count: value, byteOffset: at, fileSize: bytes.count)
        }
        return Int(value)
    }
}

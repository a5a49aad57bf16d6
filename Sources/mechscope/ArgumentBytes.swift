/// Command-line arguments are decoded as UTF-8, and Swift replaces invalid bytes with U+FFFD: a path
/// such as `o\xffd` would silently become another path. Such arguments are refused in one line.
enum ArgumentBytes {
    struct InvalidUTF8: Error, CustomStringConvertible {
        let index: Int
        let shown: String
        let byteOffset: Int

        var description: String {
            "argument \(index) ('\(shown)') is not valid UTF-8 (byte \(byteOffset)); Mechscope would read it as a "
                + "different path or text, so give paths and prompts in UTF-8"
        }
    }

    /// The first argument whose bytes are not valid UTF-8.
    static func firstInvalid() -> InvalidUTF8? {
        for i in 1..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[i] else { continue }
            var bytes: [UInt8] = []
            var p = pointer
            while p.pointee != 0 { bytes.append(UInt8(bitPattern: p.pointee)); p += 1 }
            let decoded = String(decoding: bytes, as: UTF8.self)
            if !decoded.utf8.elementsEqual(bytes) {
                let offset = zip(decoded.utf8, bytes).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(decoded.utf8.count, bytes.count)
                return InvalidUTF8(index: i, shown: decoded, byteOffset: offset)
            }
        }
        return nil
    }
}

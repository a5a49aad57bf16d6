/// GPT-2's `bytes_to_unicode`: the printable stand-in character for each of the 256 byte values.
///
/// Byte-level BPE vocabularies are written in these characters (a space is "Ġ", a newline "Ċ"), so
/// encoding maps text bytes to them and decoding maps them back.
enum ByteLevelAlphabet {
    /// `scalarForByte[b]` is the vocabulary character standing for byte `b`.
    static let scalarForByte: [Unicode.Scalar] = {
        let printable = [UInt32](0x21...0x7E) + [UInt32](0xA1...0xAC) + [UInt32](0xAE...0xFF)
        var table = [UInt32](repeating: 0, count: 256)
        for byte in printable { table[Int(byte)] = byte }
        var next: UInt32 = 256
        for byte in 0..<256 where !printable.contains(UInt32(byte)) {
            table[byte] = next
            next += 1
        }
        return table.map { Unicode.Scalar($0) ?? "\u{FFFD}" }
    }()

    /// The byte a vocabulary character stands for, or nil if it is not one of the 256 characters.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        guard value < 0x144 else { return nil }
        let byte = byteForScalarValue[Int(value)]
        return byte < 0 ? nil : UInt8(byte)
    }

    private static let byteForScalarValue: [Int16] = {
        var inverse = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { inverse[Int(scalar.value)] = Int16(byte) }
        return inverse
    }()

    /// Whether every character of `token` is one of the 256 vocabulary characters.
    static func isSpelled(_ token: String) -> Bool {
        token.unicodeScalars.allSatisfy { byte(for: $0) != nil }
    }

    /// `token` as a byte-level vocabulary writes it: unchanged when already spelled in the alphabet,
    /// else its UTF-8 bytes each written as their character (how `transformers` reads a GGUF's tokens).
    static func spelled(_ token: String) -> String {
        isSpelled(token) ? token : String(String.UnicodeScalarView(token.utf8.map { scalarForByte[Int($0)] }))
    }
}

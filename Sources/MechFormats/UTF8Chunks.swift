/// Splits bytes into valid UTF-8 text and invalid stretches, the way Rust's `String::from_utf8_lossy`
/// (and so Hugging Face's decoders) does: each maximal ill-formed subpart (Unicode §3.9, "U+FFFD
/// substitution of maximal subparts") is one invalid chunk.
enum UTF8Chunks {
    enum Chunk: Equatable {
        case scalar(Unicode.Scalar)
        case invalid([UInt8])
    }

    /// Walks `bytes` and reports each decoded scalar or invalid subpart, in order.
    static func forEach(in bytes: [UInt8], _ body: (Chunk) -> Void) {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                body(.scalar(Unicode.Scalar(lead)))
                index += 1
                continue
            }
            let (length, secondRange): (Int, ClosedRange<UInt8>)
            switch lead {
            case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
            case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
            case 0xED: (length, secondRange) = (3, 0x80...0x9F)
            case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
            case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
            default:
                body(.invalid([lead]))
                index += 1
                continue
            }
            var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
            var end = index + 1
            while end < index + length {
                guard end < bytes.count else { break }
                let byte = bytes[end]
                let allowed: ClosedRange<UInt8> = end == index + 1 ? secondRange : 0x80...0xBF
                guard allowed.contains(byte) else { break }
                value = value << 6 | UInt32(byte & 0x3F)
                end += 1
            }
            if end == index + length, let scalar = Unicode.Scalar(value) {
                body(.scalar(scalar))
            } else {
                body(.invalid(Array(bytes[index..<end])))
            }
            index = end
        }
    }

    /// `bytes` as text with every invalid subpart replaced by U+FFFD.
    static func lossyString(_ bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        forEach(in: bytes) { chunk in
            switch chunk {
            case .scalar(let scalar): scalars.append(scalar)
            case .invalid: scalars.append("\u{FFFD}")
            }
        }
        return String(scalars)
    }
}

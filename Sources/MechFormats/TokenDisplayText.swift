/// Renders the bytes of one token for the UI: valid UTF-8 as text, everything invisible or broken
/// spelled out, so a token that is half of a multi-byte character or a bare newline is still visible.
///
/// Newline, tab and carriage return become `\n`, `\t`, `\r`; other C0 controls and DEL become `\xNN`;
/// C1 controls become `\u{NNNN}`; each byte of an invalid or partial UTF-8 sequence becomes `\xNN`.
/// Spaces and backslashes are shown as themselves.
enum TokenDisplayText {
    static func render(_ bytes: [UInt8]) -> String {
        var text = ""
        UTF8Chunks.forEach(in: bytes) { chunk in
            switch chunk {
            case .invalid(let invalid):
                for byte in invalid { text += hexByte(byte) }
            case .scalar(let scalar):
                switch scalar.value {
                case 0x0A: text += "\\n"
                case 0x09: text += "\\t"
                case 0x0D: text += "\\r"
                case 0x00..<0x20, 0x7F: text += hexByte(UInt8(scalar.value))
                case 0x80..<0xA0: text += "\\u{" + hex(scalar.value, digits: 4) + "}"
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        return text
    }

    private static func hexByte(_ byte: UInt8) -> String {
        "\\x" + hex(UInt32(byte), digits: 2)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let raw = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - raw.count)) + raw
    }
}

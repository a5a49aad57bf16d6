/// Turns vocabulary strings back into text (Hugging Face `decoders`).
enum TokenizerDecoder: Equatable, Sendable {
    /// Maps each `ByteLevelAlphabet` character back to its byte, then reads the bytes as UTF-8.
    case byteLevel
    /// No decoder in the file: Hugging Face joins the token strings with single spaces.
    case joinedWithSpace

    /// The text of `tokens` decoded together (bytes of neighbouring tokens can form one character).
    func decode(_ tokens: [String]) -> String {
        switch self {
        case .joinedWithSpace:
            return tokens.joined(separator: " ")
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens { Self.appendBytes(of: token, to: &bytes) }
            return UTF8Chunks.lossyString(bytes)
        }
    }

    /// The raw bytes one token stands for. A token containing any character outside the byte
    /// alphabet (e.g. an added token "日本") contributes its own UTF-8 bytes, as in Hugging Face.
    func bytes(of token: String) -> [UInt8] {
        switch self {
        case .joinedWithSpace:
            return Array(token.utf8)
        case .byteLevel:
            var bytes: [UInt8] = []
            Self.appendBytes(of: token, to: &bytes)
            return bytes
        }
    }

    private static func appendBytes(of token: String, to bytes: inout [UInt8]) {
        let start = bytes.count
        for scalar in token.unicodeScalars {
            guard let byte = ByteLevelAlphabet.byte(for: scalar) else {
                bytes.removeSubrange(start...)
                bytes.append(contentsOf: token.utf8)
                return
            }
            bytes.append(byte)
        }
    }
}

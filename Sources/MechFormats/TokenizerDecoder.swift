/// Turns vocabulary strings back into text (Hugging Face `decoders`): a chain of steps, each mapping
/// the list of token strings to a new list, whose result is joined. No decoder in the file means
/// the tokens joined with single spaces.
struct TokenizerDecoder: Sendable {
    enum Step: Sendable {
        /// Maps each `ByteLevelAlphabet` character back to its byte and reads all bytes as UTF-8.
        case byteLevel
        /// Runs of `<0xNN>` tokens become the text of their bytes (one U+FFFD per byte if invalid).
        case byteFallback
        /// All tokens joined into one.
        case fuse
        /// Up to `start` leading and `stop` trailing `content` scalars cut from each token.
        case strip(content: Unicode.Scalar, start: Int, stop: Int)
        /// Matches of a pattern replaced by `content` in each token.
        case replace(TokenizerRegex, content: String)
        /// `replacement` read as a space, dropped at the start of the first token unless `prependScheme` is never.
        case metaspace(replacement: Unicode.Scalar, prependsSpace: Bool)
        /// WordPiece: `prefix` removed from continuation tokens, a space put before the others; `cleanup`
        /// removes spaces before punctuation and contractions.
        case wordPiece(prefix: String, cleanup: Bool)
    }

    /// The chain; empty with `joinsWithSpaces` when the file has no decoder.
    let steps: [Step]
    /// No decoder in the file: Hugging Face joins the token strings with single spaces.
    let joinsWithSpaces: Bool

    init(steps: [Step]?) {
        self.steps = steps ?? []
        joinsWithSpaces = steps == nil
    }

    static let byteLevel = TokenizerDecoder(steps: [.byteLevel])
    static let joinedWithSpace = TokenizerDecoder(steps: nil)

    /// The text of `tokens` decoded together (bytes of neighbouring tokens can form one character).
    func decode(_ tokens: [String]) -> String {
        if joinsWithSpaces { return tokens.joined(separator: " ") }
        var current = tokens
        for step in steps { current = step.decodeChain(current) }
        return current.joined()
    }

    /// The raw bytes one token stands for, for display: "▁the" reads " the", "<0x0A>" a newline byte,
    /// "##ing" "ing". A byte-level token containing any character outside the byte alphabet (e.g. an
    /// added token "日本") contributes its own UTF-8 bytes.
    func bytes(of token: String) -> [UInt8] {
        if joinsWithSpaces { return Array(token.utf8) }
        var text = token
        for step in steps {
            switch step {
            case .byteLevel:
                return Step.byteLevelBytes(of: text)
            case .byteFallback:
                if let byte = Step.fallbackByte(text) { return [byte] }
            case .metaspace(let replacement, _):
                text = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == replacement ? " " : $0 }))
            case .replace:
                text = step.decodeChain([text]).joined()
            case .wordPiece(let prefix, _):
                if text.hasPrefix(prefix) && !prefix.isEmpty { text = String(text.dropFirst(prefix.count)) }
            case .fuse, .strip:
                // Strip cuts the start of the whole decoded text; a token shown alone keeps its space.
                break
            }
        }
        return Array(text.utf8)
    }
}

extension TokenizerDecoder.Step {
    func decodeChain(_ tokens: [String]) -> [String] {
        switch self {
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens { bytes.append(contentsOf: Self.byteLevelBytes(of: token)) }
            return [UTF8Chunks.lossyString(bytes)]
        case .byteFallback:
            var output: [String] = []
            var pending: [UInt8] = []
            func flush() {
                guard !pending.isEmpty else { return }
                if let text = String(validating: pending, as: UTF8.self) {
                    output.append(text)
                } else {
                    output.append(contentsOf: Array(repeating: "\u{FFFD}", count: pending.count))
                }
                pending.removeAll()
            }
            for token in tokens {
                if let byte = Self.fallbackByte(token) {
                    pending.append(byte)
                } else {
                    flush()
                    output.append(token)
                }
            }
            flush()
            return output
        case .fuse:
            return [tokens.joined()]
        case .strip(let content, let start, let stop):
            return tokens.map { token in
                let scalars = Array(token.unicodeScalars)
                var startCut = 0
                for index in 0..<min(start, scalars.count) {
                    guard scalars[index] == content else { break }
                    startCut = index + 1
                }
                var stopCut = scalars.count
                for offset in 0..<min(stop, scalars.count) {
                    let index = scalars.count - offset - 1
                    guard scalars[index] == content else { break }
                    stopCut = index
                }
                guard startCut < stopCut else { return "" }
                return String(String.UnicodeScalarView(scalars[startCut..<stopCut]))
            }
        case .replace(let regex, let content):
            return tokens.map { token in
                let scalars = Array(token.unicodeScalars)
                var output = String.UnicodeScalarView()
                for piece in regex.findMatches(in: scalars) {
                    if piece.isMatch { output.append(contentsOf: content.unicodeScalars) } else { output.append(contentsOf: scalars[piece.range]) }
                }
                return String(output)
            }
        case .metaspace(let replacement, let prependsSpace):
            return tokens.enumerated().map { index, token in
                var output = String.UnicodeScalarView()
                for scalar in token.unicodeScalars {
                    if scalar == replacement {
                        if index == 0 && prependsSpace { continue }
                        output.append(" ")
                    } else {
                        output.append(scalar)
                    }
                }
                return String(output)
            }
        case .wordPiece(let prefix, let cleanup):
            return tokens.enumerated().map { index, token in
                var text = token
                if index != 0 {
                    if !prefix.isEmpty, text.utf8.starts(with: prefix.utf8) {
                        text = String(decoding: text.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                    } else {
                        text = " " + text
                    }
                }
                return cleanup ? Self.wordPieceCleanup(text) : text
            }
        }
    }

    /// The byte of a `<0xNN>` token (exactly six bytes, two hex digits), as the ByteFallback decoder reads it.
    static func fallbackByte(_ token: String) -> UInt8? {
        let bytes = Array(token.utf8)
        guard bytes.count == 6, bytes[0] == 0x3C, bytes[1] == 0x30, bytes[2] == 0x78, bytes[5] == 0x3E else { return nil }
        return UInt8(String(decoding: bytes[3...4], as: UTF8.self), radix: 16)
    }

    static func byteLevelBytes(of token: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in token.unicodeScalars {
            guard let byte = ByteLevelAlphabet.byte(for: scalar) else { return Array(token.utf8) }
            bytes.append(byte)
        }
        return bytes
    }

    /// Hugging Face's `wordpiece::cleanup`, replacement by replacement in its order.
    private static func wordPieceCleanup(_ text: String) -> String {
        let replacements: [(String, String)] = [
            (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
            (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
        ]
        var result = text
        for (from, to) in replacements where result.utf8.count >= from.utf8.count {
            result = ExactReplacement.replacingAll(from, with: to, in: result)
        }
        return result
    }
}

/// Byte-exact, non-overlapping, left-to-right replacement (Rust `str::replace`), which Swift's
/// `replacingOccurrences` is not (it compares canonically equivalent text as equal).
enum ExactReplacement {
    static func replacingAll(_ target: String, with replacement: String, in text: String) -> String {
        let haystack = Array(text.utf8)
        let needle = Array(target.utf8)
        guard !needle.isEmpty, haystack.count >= needle.count else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(haystack.count)
        var index = 0
        while index < haystack.count {
            if index + needle.count <= haystack.count, haystack[index] == needle[0],
               haystack[index..<index + needle.count].elementsEqual(needle) {
                output.append(contentsOf: replacement.utf8)
                index += needle.count
            } else {
                output.append(haystack[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

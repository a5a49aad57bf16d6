import Foundation

/// One normalization step applied to text before pre-tokenization (Hugging Face `normalizers`);
/// a `Sequence` in the file becomes a list of steps applied in order.
enum TokenizerNormalizer: Sendable {
    case nfc, nfd, nfkc, nfkd
    /// Each scalar replaced by its full lowercase mapping (no context rules, as Rust's `char::to_lowercase`).
    case lowercase
    /// Every match of `pattern` (a literal string or a regex) replaced by `content`.
    case replace(TokenizerRegex, content: String)
    /// `text` put in front of any non-empty input.
    case prepend(String)
    /// Unicode White_Space removed from the left and/or right end.
    case strip(left: Bool, right: Bool)
    /// Combining marks (Unicode category M) removed.
    case stripAccents
    /// BERT's normalizer: control characters removed and whitespace made spaces (`cleanText`), CJK
    /// ideographs surrounded by spaces, accents stripped (NFD minus nonspacing marks), lowercased.
    case bert(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool)

    /// The text after every step. `startsAtOrigin` is false when a step removed the input's first
    /// scalar (Hugging Face then no longer maps the normalized start to original offset 0, which
    /// the Metaspace pre-tokenizer's `prepend_scheme: first` looks at).
    static func apply(_ steps: [TokenizerNormalizer], to text: String) -> String {
        normalize(steps, text).text
    }

    static func normalize(_ steps: [TokenizerNormalizer], _ text: String) -> (text: String, startsAtOrigin: Bool) {
        var scalars = Array(text.unicodeScalars)
        var startsAtOrigin = true
        for step in steps {
            if startsAtOrigin, step.removesFirstScalar(of: scalars) { startsAtOrigin = false }
            scalars = step.normalize(scalars)
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return (String(view), startsAtOrigin)
    }

    /// Whether this step deletes the first scalar of `scalars` (rather than replacing or keeping it).
    private func removesFirstScalar(of scalars: [Unicode.Scalar]) -> Bool {
        guard let first = scalars.first else { return false }
        switch self {
        case .strip(let left, _):
            return left && TokenizerScalarClasses.isWhitespace(first)
        case .stripAccents:
            return TokenizerScalarClasses.isCombiningMark(first)
        case .bert(let cleanText, _, let stripAccents, _):
            if cleanText && TokenizerScalarClasses.isRemovedByBertCleanText(first) { return true }
            guard stripAccents, let decomposed = String(first).decomposedStringWithCanonicalMapping.unicodeScalars.first else {
                return false
            }
            return TokenizerScalarClasses.isBertNonspacingMark(decomposed)
        case .replace(let regex, let content):
            guard content.isEmpty, let found = regex.matches(in: scalars).first else { return false }
            return found.lowerBound == 0 && !found.isEmpty
        default:
            return false
        }
    }

    private func normalize(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        switch self {
        case .nfc: return Self.scalars(Self.text(scalars).precomposedStringWithCanonicalMapping)
        case .nfd: return Self.scalars(Self.text(scalars).decomposedStringWithCanonicalMapping)
        case .nfkc: return Self.scalars(Self.text(scalars).precomposedStringWithCompatibilityMapping)
        case .nfkd: return Self.scalars(Self.text(scalars).decomposedStringWithCompatibilityMapping)
        case .lowercase: return Self.lowercased(scalars)
        case .replace(let regex, let content):
            let replacement = Array(content.unicodeScalars)
            var output: [Unicode.Scalar] = []
            output.reserveCapacity(scalars.count)
            for piece in regex.findMatches(in: scalars) {
                if piece.isMatch { output.append(contentsOf: replacement) } else { output.append(contentsOf: scalars[piece.range]) }
            }
            return output
        case .prepend(let text):
            return scalars.isEmpty ? scalars : Array(text.unicodeScalars) + scalars
        case .strip(let left, let right):
            var start = 0
            var end = scalars.count
            if left { while start < end, TokenizerScalarClasses.isWhitespace(scalars[start]) { start += 1 } }
            if right { while end > start, TokenizerScalarClasses.isWhitespace(scalars[end - 1]) { end -= 1 } }
            return Array(scalars[start..<end])
        case .stripAccents:
            return scalars.filter { !TokenizerScalarClasses.isCombiningMark($0) }
        case .bert(let cleanText, let handleChineseChars, let stripAccents, let lowercase):
            var output = scalars
            if cleanText {
                output = output.compactMap { scalar in
                    if TokenizerScalarClasses.isRemovedByBertCleanText(scalar) { return nil }
                    return TokenizerScalarClasses.isBertWhitespace(scalar) ? " " : scalar
                }
            }
            if handleChineseChars {
                var spaced: [Unicode.Scalar] = []
                spaced.reserveCapacity(output.count)
                for scalar in output {
                    if TokenizerScalarClasses.isBertChineseCharacter(scalar) {
                        spaced.append(contentsOf: [" ", scalar, " "])
                    } else {
                        spaced.append(scalar)
                    }
                }
                output = spaced
            }
            if stripAccents {
                output = Self.scalars(Self.text(output).decomposedStringWithCanonicalMapping)
                    .filter { !TokenizerScalarClasses.isBertNonspacingMark($0) }
            }
            if lowercase { output = Self.lowercased(output) }
            return output
        }
    }

    private static func lowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar.value < 128 {
                output.append(scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return output
    }

    private static func text(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }
}

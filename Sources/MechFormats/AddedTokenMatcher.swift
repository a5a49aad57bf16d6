/// Finds added tokens in text and cuts it into plain-text and token segments, reproducing Hugging
/// Face's `AddedVocabulary::find_matches`: leftmost-longest non-overlapping matches, then the
/// `single_word`, `lstrip` and `rstrip` rules applied to each match.
struct AddedTokenMatcher: Sendable {
    /// A piece of input: text still to be tokenized, or an added token's id.
    enum Segment: Equatable {
        case text(String)
        case token(Int)
    }

    private struct Pattern: Sendable {
        let scalars: [Unicode.Scalar]
        let token: TokenizerAddedToken
    }

    /// Patterns grouped by first scalar, longest first, so the first hit at a position is the longest.
    private let patternsByFirstScalar: [Unicode.Scalar: [Pattern]]

    /// `patterns` pairs the text to look for (the content, normalized if the token is) with its token.
    init(patterns: [(text: String, token: TokenizerAddedToken)]) {
        var grouped: [Unicode.Scalar: [Pattern]] = [:]
        for (text, token) in patterns {
            let scalars = Array(text.unicodeScalars)
            guard let first = scalars.first else { continue }
            grouped[first, default: []].append(Pattern(scalars: scalars, token: token))
        }
        patternsByFirstScalar = grouped.mapValues { group in
            group.sorted { $0.scalars.count > $1.scalars.count }
        }
    }

    var isEmpty: Bool { patternsByFirstScalar.isEmpty }

    /// `text` as segments in order; text segments are never empty.
    func split(_ text: String) -> [Segment] {
        if isEmpty { return text.isEmpty ? [] : [.text(text)] }
        let scalars = Array(text.unicodeScalars)
        var segments: [Segment] = []
        var consumed = 0
        var cursor = 0
        while let match = nextMatch(in: scalars, from: cursor) {
            cursor = match.end
            var start = match.start
            var stop = match.end
            let token = match.token
            if token.isSingleWord {
                let spaceBefore = start == 0 || !TokenizerScalarClasses.isWordCharacter(scalars[start - 1])
                let spaceAfter = stop == scalars.count || !TokenizerScalarClasses.isWordCharacter(scalars[stop])
                if !spaceBefore || !spaceAfter { continue }
            }
            if token.stripsLeft {
                var newStart = start
                while newStart > 0, TokenizerScalarClasses.isWhitespace(scalars[newStart - 1]) { newStart -= 1 }
                start = max(newStart, consumed)
            }
            if token.stripsRight {
                while stop < scalars.count, TokenizerScalarClasses.isWhitespace(scalars[stop]) { stop += 1 }
            }
            if consumed < start { segments.append(.text(Self.text(scalars[consumed..<start]))) }
            segments.append(.token(token.id))
            consumed = stop
        }
        if consumed < scalars.count { segments.append(.text(Self.text(scalars[consumed...]))) }
        return segments
    }

    /// The leftmost match at or after `from`, longest among those starting there.
    private func nextMatch(in scalars: [Unicode.Scalar], from: Int) -> (start: Int, end: Int, token: TokenizerAddedToken)? {
        var position = from
        while position < scalars.count {
            if let candidates = patternsByFirstScalar[scalars[position]] {
                for pattern in candidates where Self.matches(pattern.scalars, in: scalars, at: position) {
                    return (position, position + pattern.scalars.count, pattern.token)
                }
            }
            position += 1
        }
        return nil
    }

    private static func matches(_ pattern: [Unicode.Scalar], in scalars: [Unicode.Scalar], at position: Int) -> Bool {
        guard position + pattern.count <= scalars.count else { return false }
        for offset in 1..<pattern.count where scalars[position + offset] != pattern[offset] { return false }
        return true
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

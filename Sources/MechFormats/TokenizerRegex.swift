/// A compiled pre-tokenizer regex, matched by backtracking over Unicode scalars in Oniguruma's order
/// (leftmost match; alternatives in order; greedy quantifiers longest first), which is what
/// Hugging Face `tokenizers` uses for `Split` and `Replace` patterns.
struct TokenizerRegex: Sendable {
    let root: TokenizerRegexNode

    /// Compiles `pattern`; throws `TokenizerRegexParser.Failure` for syntax it does not support.
    init(pattern: String) throws {
        root = try TokenizerRegexParser.parse(pattern)
    }

    /// A regex matching `literal` exactly.
    init(literal: String) {
        root = TokenizerRegexParser.literal(literal)
    }

    /// Every match as a scalar index range, scanning left to right like the `onig` crate's
    /// `find_iter`: an empty match right where the previous match ended is skipped.
    func matches(in scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var results: [Range<Int>] = []
        var searchStart = 0
        var lastMatchEnd: Int? = nil
        var matcher = Matcher(scalars: scalars)
        while searchStart <= scalars.count {
            guard let found = matcher.search(root, from: searchStart) else { break }
            if found.isEmpty && lastMatchEnd == found.upperBound {
                searchStart += 1
                continue
            }
            results.append(found)
            searchStart = found.upperBound
            lastMatchEnd = found.upperBound
        }
        return results
    }

    /// `[((range), isMatch)]` covering all of `scalars`, as `tokenizers`' `Pattern::find_matches`.
    func findMatches(in scalars: [Unicode.Scalar]) -> [(range: Range<Int>, isMatch: Bool)] {
        if scalars.isEmpty { return [(0..<0, false)] }
        var pieces: [(range: Range<Int>, isMatch: Bool)] = []
        var previous = 0
        for found in matches(in: scalars) {
            if previous != found.lowerBound { pieces.append((previous..<found.lowerBound, false)) }
            pieces.append((found, true))
            previous = found.upperBound
        }
        if previous != scalars.count { pieces.append((previous..<scalars.count, false)) }
        return pieces
    }

    private struct Matcher {
        let scalars: [Unicode.Scalar]

        /// The first match starting at or after `start`.
        mutating func search(_ root: TokenizerRegexNode, from start: Int) -> Range<Int>? {
            var position = start
            while position <= scalars.count {
                var end = -1
                if match(root, at: position, then: { end = $0; return true }) {
                    return position..<end
                }
                position += 1
            }
            return nil
        }

        /// Whether `node` matches at `position` such that `next` accepts where it ends.
        func match(_ node: TokenizerRegexNode, at position: Int, then next: (Int) -> Bool) -> Bool {
            switch node.kind {
            case .empty:
                return next(position)
            case .scalar, .set:
                guard position < scalars.count, matchesOne(node, scalars[position]) else { return false }
                return next(position + 1)
            case .sequence:
                return matchSequence(node.children, from: 0, at: position, then: next)
            case .alternation:
                for alternative in node.children where match(alternative, at: position, then: next) { return true }
                return false
            case .repetition:
                return matchRepetition(node.children[0], minimum: node.minimum, maximum: node.maximum,
                                       kind: node.repetitionKind, at: position, then: next)
            case .lookahead:
                let found = match(node.children[0], at: position, then: { _ in true })
                return found != node.negated && next(position)
            case .anchor:
                let holds: Bool
                switch node.anchor {
                case .textStart: holds = position == 0
                case .textEnd: holds = position == scalars.count
                case .lineStart: holds = position == 0 || scalars[position - 1] == "\n"
                case .lineEnd: holds = position == scalars.count || scalars[position] == "\n"
                }
                return holds && next(position)
            }
        }

        private func matchesOne(_ node: TokenizerRegexNode, _ scalar: Unicode.Scalar) -> Bool {
            if node.kind == .set { return node.set.contains(scalar) }
            if scalar == node.scalar { return true }
            return node.caseInsensitive && TokenizerRegexCaseFolding.fold(scalar) == TokenizerRegexCaseFolding.fold(node.scalar)
        }

        private func matchSequence(_ items: [TokenizerRegexNode], from index: Int, at position: Int,
                                   then next: (Int) -> Bool) -> Bool {
            if index == items.count { return next(position) }
            return match(items[index], at: position) { matchSequence(items, from: index + 1, at: $0, then: next) }
        }

        private func matchRepetition(_ body: TokenizerRegexNode, minimum: Int, maximum: Int,
                                     kind: TokenizerRegexNode.RepetitionKind, at position: Int,
                                     then next: (Int) -> Bool) -> Bool {
            if body.isSingleScalar {
                // One scalar per repetition: count the run, then try lengths in the quantifier's order.
                var count = 0
                while count < maximum, position + count < scalars.count, matchesOne(body, scalars[position + count]) {
                    count += 1
                }
                if count < minimum { return false }
                switch kind {
                case .possessive:
                    return next(position + count)
                case .greedy:
                    for length in stride(from: count, through: minimum, by: -1) where next(position + length) { return true }
                    return false
                case .lazy:
                    for length in minimum...count where next(position + length) { return true }
                    return false
                }
            } else {
                if kind == .possessive {
                    var end = -1
                    guard repeatBody(body, minimum: minimum, maximum: maximum, kind: .greedy, done: 0,
                                     at: position, then: { end = $0; return true }) else { return false }
                    return next(end)
                }
                return repeatBody(body, minimum: minimum, maximum: maximum, kind: kind, done: 0, at: position, then: next)
            }
        }

        private func repeatBody(_ body: TokenizerRegexNode, minimum: Int, maximum: Int,
                                kind: TokenizerRegexNode.RepetitionKind, done: Int, at position: Int,
                                then next: (Int) -> Bool) -> Bool {
            func more() -> Bool {
                guard done < maximum else { return false }
                return match(body, at: position) { end in
                    // An empty iteration past the minimum cannot lead anywhere new.
                    if end == position && done >= minimum { return false }
                    return repeatBody(body, minimum: minimum, maximum: maximum, kind: kind, done: done + 1,
                                      at: end, then: next)
                }
            }
            if kind == .lazy {
                if done >= minimum && next(position) { return true }
                return more()
            }
            if more() { return true }
            return done >= minimum && next(position)
        }
    }
}

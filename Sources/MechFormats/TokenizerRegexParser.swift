/// Parses the regex subset real `tokenizer.json` files use (Llama-3, Qwen2, GPT-4-style patterns and
/// simple literals) in Oniguruma's Ruby syntax: alternation, `(?:)`, `(?i:)`, `(?i)`, `(?=)`, `(?!)`,
/// classes with ranges, `\p{..}`/`\P{..}`, `\s \S \d \D \w \W`, `.`, `^ $ \A \z`, and the greedy,
/// lazy and possessive quantifiers `* + ? {n} {n,} {n,m} {,m}`. Anything else is a `Failure`
/// naming the construct and its offset, so an unsupported pattern is reported, never misread.
struct TokenizerRegexParser {
    struct Failure: Error, Equatable {
        let message: String
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    static func parse(_ pattern: String) throws -> TokenizerRegexNode {
        var parser = TokenizerRegexParser(scalars: Array(pattern.unicodeScalars))
        let node = try parser.parseAlternation(caseInsensitive: false)
        if parser.position < parser.scalars.count {
            throw parser.failure("unbalanced \")\"")
        }
        return node
    }

    /// A pattern matching `literal` exactly (what `tokenizers` builds from a `String` pattern).
    static func literal(_ literal: String) -> TokenizerRegexNode {
        .sequence(literal.unicodeScalars.map { .scalar($0, caseInsensitive: false) })
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    private func failure(_ what: String) -> Failure {
        Failure(message: "\(what) at character \(position)")
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard current == scalar else { return false }
        position += 1
        return true
    }

    private mutating func parseAlternation(caseInsensitive initial: Bool) throws -> TokenizerRegexNode {
        var caseInsensitive = initial
        var alternatives: [TokenizerRegexNode] = []
        var items: [TokenizerRegexNode] = []
        while let scalar = current, scalar != ")" {
            if scalar == "|" {
                position += 1
                alternatives.append(Self.sequence(items))
                items = []
                continue
            }
            if scalar == "(", position + 2 < scalars.count, scalars[position + 1] == "?", scalars[position + 2] == "i",
               position + 3 < scalars.count, scalars[position + 3] == ")" {
                // `(?i)`: case-insensitive to the end of the enclosing group.
                position += 4
                caseInsensitive = true
                continue
            }
            var atom = try parseAtom(caseInsensitive: caseInsensitive)
            atom = try parseQuantifiers(on: atom)
            items.append(atom)
        }
        alternatives.append(Self.sequence(items))
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private static func sequence(_ items: [TokenizerRegexNode]) -> TokenizerRegexNode {
        switch items.count {
        case 0: return .empty
        case 1: return items[0]
        default: return .sequence(items)
        }
    }

    private mutating func parseQuantifiers(on atom: TokenizerRegexNode) throws -> TokenizerRegexNode {
        var node = atom
        while let scalar = current {
            let bounds: (Int, Int?)
            let start = position
            switch scalar {
            case "*": position += 1; bounds = (0, nil)
            case "+": position += 1; bounds = (1, nil)
            case "?": position += 1; bounds = (0, 1)
            case "{":
                guard let parsed = try parseBraces() else { return node }
                bounds = parsed
            default:
                return node
            }
            var kind = TokenizerRegexNode.RepetitionKind.greedy
            if take("?") {
                kind = .lazy
            } else if scalars[start] != "{", take("+") {
                kind = .possessive
            }
            if node.kind == .anchor { throw failure("quantifier after an anchor") }
            node = .repetition(node, minimum: bounds.0, maximum: bounds.1, kind: kind)
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}`, `{,m}`; nil (and nothing consumed) when the brace is a literal.
    private mutating func parseBraces() throws -> (Int, Int?)? {
        let start = position
        position += 1
        func number() -> Int? {
            var value: Int?
            while let scalar = current, let digit = Int(String(scalar)), scalar.isASCII {
                value = min((value ?? 0) * 10 + digit, 100_000)
                position += 1
            }
            return value
        }
        let low = number()
        var high = low
        if take(",") { high = number() }
        guard take("}"), low != nil || high != nil else {
            position = start
            return nil
        }
        let minimum = low ?? 0
        if let high, high < minimum { throw failure("quantifier {\(minimum),\(high)} has max < min") }
        return (minimum, high)
    }

    private mutating func parseAtom(caseInsensitive: Bool) throws -> TokenizerRegexNode {
        guard let scalar = current else { throw failure("unexpected end of pattern") }
        position += 1
        switch scalar {
        case "(":
            return try parseGroup(caseInsensitive: caseInsensitive)
        case "[":
            var set = try parseClass()
            set.caseInsensitive = caseInsensitive
            return .set(set)
        case ".":
            return .set(.anyButNewline)
        case "^":
            return .anchor(.lineStart)
        case "$":
            return .anchor(.lineEnd)
        case "\\":
            return try parseEscape(caseInsensitive: caseInsensitive, inClass: false).node
        case "*", "+", "?":
            throw failure("quantifier \"\(scalar)\" with nothing to repeat")
        default:
            return .scalar(scalar, caseInsensitive: caseInsensitive)
        }
    }

    private mutating func parseGroup(caseInsensitive: Bool) throws -> TokenizerRegexNode {
        var inner = caseInsensitive
        var lookahead: Bool? = nil
        if take("?") {
            if take(":") {
            } else if take("=") {
                lookahead = false
            } else if take("!") {
                lookahead = true
            } else if take("i"), take(":") {
                inner = true
            } else {
                throw failure("unsupported group construct \"(?\"")
            }
        }
        let body = try parseAlternation(caseInsensitive: inner)
        guard take(")") else { throw failure("missing \")\"") }
        if let negated = lookahead { return .lookahead(body, negated: negated) }
        return body
    }

    /// `[...]` after the opening bracket.
    private mutating func parseClass() throws -> TokenizerRegexSet {
        var set = TokenizerRegexSet()
        if take("^") { set.negated = true }
        var first = true
        while true {
            guard let scalar = current else { throw failure("missing \"]\"") }
            if scalar == "]" && !first {
                position += 1
                return set
            }
            first = false
            if scalar == "[" { throw failure("nested character class") }
            if scalar == "&", position + 1 < scalars.count, scalars[position + 1] == "&" {
                throw failure("class intersection \"&&\"")
            }
            position += 1
            var low: Unicode.Scalar
            if scalar == "\\" {
                let escaped = try parseEscape(caseInsensitive: false, inClass: true)
                guard let single = escaped.scalar else {
                    if escaped.node.kind == .set { set.items.append(.nested(escaped.node.set)) }
                    continue
                }
                low = single
            } else {
                low = scalar
            }
            if current == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                guard var high = current else { throw failure("missing \"]\"") }
                position += 1
                if high == "\\" {
                    guard let single = try parseEscape(caseInsensitive: false, inClass: true).scalar else {
                        throw failure("class range ending in a class")
                    }
                    high = single
                } else if high == "[" {
                    throw failure("nested character class")
                }
                guard low.value <= high.value else { throw failure("class range out of order") }
                set.items.append(.range(low.value...high.value))
                low = high
            } else {
                set.items.append(.range(low.value...low.value))
            }
        }
    }

    /// The escape after a backslash: a single scalar (also usable in class ranges) or a class/anchor.
    private mutating func parseEscape(caseInsensitive: Bool, inClass: Bool) throws
        -> (node: TokenizerRegexNode, scalar: Unicode.Scalar?) {
        guard let scalar = current else { throw failure("pattern ends with a backslash") }
        position += 1
        func literal(_ value: Unicode.Scalar) -> (TokenizerRegexNode, Unicode.Scalar?) {
            (.scalar(value, caseInsensitive: caseInsensitive), value)
        }
        func category(_ category: TokenizerRegexCategory, negated: Bool) -> (TokenizerRegexNode, Unicode.Scalar?) {
            var set = TokenizerRegexSet(items: [.category(category, negated: negated)])
            set.caseInsensitive = caseInsensitive
            return (.set(set), nil)
        }
        switch scalar {
        case "n": return literal("\n")
        case "r": return literal("\r")
        case "t": return literal("\t")
        case "f": return literal("\u{0C}")
        case "v": return literal("\u{0B}")
        case "a": return literal("\u{07}")
        case "e": return literal("\u{1B}")
        case "s": return category(.space, negated: false)
        case "S": return category(.space, negated: true)
        case "d": return category(.digit, negated: false)
        case "D": return category(.digit, negated: true)
        case "w": return category(.word, negated: false)
        case "W": return category(.word, negated: true)
        case "p", "P":
            guard take("{") else { throw failure("\\\(scalar) without {name}") }
            var negated = scalar == "P"
            if take("^") { negated.toggle() }
            var name = ""
            while let next = current, next != "}" {
                name.unicodeScalars.append(next)
                position += 1
            }
            guard take("}") else { throw failure("missing \"}\" after \\p{") }
            guard let named = TokenizerRegexCategory(propertyName: name) else {
                throw failure("unsupported Unicode property \\p{\(name)}")
            }
            return category(named, negated: negated)
        case "x":
            return literal(try parseHex(braced: take("{"), digits: 2))
        case "u":
            return literal(try parseHex(braced: false, digits: 4))
        case "A" where !inClass: return (.anchor(.textStart), nil)
        case "z" where !inClass: return (.anchor(.textEnd), nil)
        default:
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                throw failure("unsupported escape \"\\\(scalar)\"")
            }
            return literal(scalar)
        }
    }

    private mutating func parseHex(braced: Bool, digits: Int) throws -> Unicode.Scalar {
        var text = ""
        while let next = current, next.isASCII, next.properties.isASCIIHexDigit, braced || text.count < digits {
            text.unicodeScalars.append(next)
            position += 1
        }
        if braced && !take("}") { throw failure("missing \"}\" in \\x{...}") }
        guard !text.isEmpty, let value = UInt32(text, radix: 16), let scalar = Unicode.Scalar(value) else {
            throw failure("bad hexadecimal escape")
        }
        return scalar
    }
}

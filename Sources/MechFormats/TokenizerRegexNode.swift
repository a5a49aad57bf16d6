/// The parsed form of a pre-tokenizer / normalizer regex (Oniguruma's Ruby syntax, the dialect
/// Hugging Face `tokenizers` compiles its `Split` and `Replace` patterns with).
///
/// A plain struct (children in an array) rather than an `indirect enum`: indirect enum boxes are
/// referenced through tagged pointers, which LeakSanitizer in the fuzz builds cannot follow.
struct TokenizerRegexNode: Sendable {
    enum Kind: Sendable {
        /// Matches nothing, always succeeds (an empty alternative).
        case empty
        /// One scalar; with `caseInsensitive`, any scalar of the same simple case fold.
        case scalar
        /// One scalar from a class (`[...]`, `\p{L}`, `\s`, `.`).
        case set
        /// Each child in turn.
        case sequence
        /// The first child that lets the rest of the pattern match (backtracking order).
        case alternation
        /// The only child repeated between `minimum` and `maximum` times.
        case repetition
        /// `(?=...)` / `(?!...)` (`negated`): whether the child matches here, consuming nothing.
        case lookahead
        /// `^` (start of a line), `$` (end of a line), `\A`, `\z`.
        case anchor
    }

    enum RepetitionKind: Sendable {
        case greedy, lazy, possessive
    }

    enum Anchor: Sendable {
        case lineStart, lineEnd, textStart, textEnd
    }

    var kind: Kind
    var scalar: Unicode.Scalar = "\u{0}"
    var caseInsensitive = false
    var set = TokenizerRegexSet()
    var children: [TokenizerRegexNode] = []
    var minimum = 0
    var maximum = Int.max
    var repetitionKind = RepetitionKind.greedy
    var negated = false
    var anchor = Anchor.textStart

    static let empty = TokenizerRegexNode(kind: .empty)

    static func scalar(_ scalar: Unicode.Scalar, caseInsensitive: Bool) -> TokenizerRegexNode {
        TokenizerRegexNode(kind: .scalar, scalar: scalar, caseInsensitive: caseInsensitive)
    }

    static func set(_ set: TokenizerRegexSet) -> TokenizerRegexNode {
        TokenizerRegexNode(kind: .set, set: set)
    }

    static func sequence(_ items: [TokenizerRegexNode]) -> TokenizerRegexNode {
        TokenizerRegexNode(kind: .sequence, children: items)
    }

    static func alternation(_ alternatives: [TokenizerRegexNode]) -> TokenizerRegexNode {
        TokenizerRegexNode(kind: .alternation, children: alternatives)
    }

    static func repetition(_ body: TokenizerRegexNode, minimum: Int, maximum: Int?, kind: RepetitionKind) -> TokenizerRegexNode {
        TokenizerRegexNode(kind: .repetition, children: [body], minimum: minimum, maximum: maximum ?? Int.max,
                           repetitionKind: kind)
    }

    static func lookahead(_ body: TokenizerRegexNode, negated: Bool) -> TokenizerRegexNode {
        TokenizerRegexNode(kind: .lookahead, children: [body], negated: negated)
    }

    static func anchor(_ anchor: Anchor) -> TokenizerRegexNode {
        TokenizerRegexNode(kind: .anchor, anchor: anchor)
    }

    /// Whether this node consumes exactly one scalar (a literal or a class).
    var isSingleScalar: Bool { kind == .scalar || kind == .set }
}

/// A set of scalars: ranges, Unicode general categories and the `\s \d \w` classes, possibly negated.
struct TokenizerRegexSet: Sendable {
    enum Item: Sendable {
        case range(ClosedRange<UInt32>)
        case category(TokenizerRegexCategory, negated: Bool)
        case nested(TokenizerRegexSet)
    }

    var items: [Item] = []
    var negated = false
    var caseInsensitive = false

    /// The class of `.`: every scalar except a newline (Oniguruma's default).
    static let anyButNewline = TokenizerRegexSet(items: [.range(0x0A...0x0A)], negated: true)

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var found = itemsContain(scalar)
        if !found && caseInsensitive {
            found = TokenizerRegexCaseFolding.variants(of: scalar).contains { itemsContain($0) }
        }
        return found != negated
    }

    private func itemsContain(_ scalar: Unicode.Scalar) -> Bool {
        for item in items {
            switch item {
            case .range(let range):
                if range.contains(scalar.value) { return true }
            case .category(let category, let negated):
                if category.contains(scalar) != negated { return true }
            case .nested(let set):
                if set.contains(scalar) { return true }
            }
        }
        return false
    }
}

/// Unicode classes a pattern can name: general categories (`\p{L}`, `\p{Lu}`, `\p{P}`...) and the
/// Oniguruma shorthands `\s`, `\d`, `\w`. Scalars assigned after Hugging Face's Unicode version are
/// unassigned (`Cn`) here, as in `tokenizers` (see `TokenizerScalarClasses`).
enum TokenizerRegexCategory: Sendable, Equatable {
    /// General categories as a bit mask over `TokenizerScalarClasses.generalCategoryCodes`.
    case general(UInt32)
    /// `\s`: Unicode White_Space.
    case space
    /// `\d`: Decimal_Number.
    case digit
    /// `\w`: Oniguruma's word characters: Alphabetic, marks, decimal digits, connector punctuation,
    /// and the Latin-1 numbers ² ³ ¹ ¼ ½ ¾ (its single-byte table counts them).
    case word
    /// `\p{Any}`.
    case any

    /// The category a `\p{NAME}` names, or nil when unknown (scripts and binary properties are not supported).
    init?(propertyName raw: String) {
        let name = raw.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: " ", with: "").lowercased()
        if let codes = Self.longNames[name] {
            self = .general(Self.mask(codes))
            return
        }
        let majors = ["l", "m", "n", "p", "s", "z", "c"]
        if majors.contains(name) {
            self = .general(Self.mask(Self.allCodes.filter { $0.lowercased().hasPrefix(name) }))
            return
        }
        if let code = Self.allCodes.first(where: { $0.lowercased() == name }) {
            self = .general(Self.mask([code]))
            return
        }
        switch name {
        case "any": self = .any
        case "space", "whitespace": self = .space
        case "digit": self = .digit
        case "word": self = .word
        default: return nil
        }
    }

    private static let allCodes = TokenizerScalarClasses.generalCategoryCodes

    private static func mask<Codes: Sequence>(_ codes: Codes) -> UInt32 where Codes.Element == String {
        codes.reduce(0) { bits, code in bits | (1 << UInt32(allCodes.firstIndex(of: code) ?? 31)) }
    }

    private static let longNames: [String: Set<String>] = [
        "letter": ["Lu", "Ll", "Lt", "Lm", "Lo"], "uppercaseletter": ["Lu"], "lowercaseletter": ["Ll"],
        "titlecaseletter": ["Lt"], "modifierletter": ["Lm"], "otherletter": ["Lo"], "casedletter": ["Lu", "Ll", "Lt"],
        "lc": ["Lu", "Ll", "Lt"], "mark": ["Mn", "Mc", "Me"], "combiningmark": ["Mn", "Mc", "Me"],
        "nonspacingmark": ["Mn"], "spacingmark": ["Mc"], "enclosingmark": ["Me"],
        "number": ["Nd", "Nl", "No"], "decimalnumber": ["Nd"], "letternumber": ["Nl"], "othernumber": ["No"],
        "punctuation": ["Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"], "connectorpunctuation": ["Pc"],
        "dashpunctuation": ["Pd"], "openpunctuation": ["Ps"], "closepunctuation": ["Pe"],
        "initialpunctuation": ["Pi"], "finalpunctuation": ["Pf"], "otherpunctuation": ["Po"],
        "symbol": ["Sm", "Sc", "Sk", "So"], "mathsymbol": ["Sm"], "currencysymbol": ["Sc"],
        "modifiersymbol": ["Sk"], "othersymbol": ["So"], "separator": ["Zs", "Zl", "Zp"],
        "spaceseparator": ["Zs"], "lineseparator": ["Zl"], "paragraphseparator": ["Zp"],
        "other": ["Cc", "Cf", "Cs", "Co", "Cn"], "control": ["Cc"], "format": ["Cf"], "surrogate": ["Cs"],
        "privateuse": ["Co"], "unassigned": ["Cn"],
    ]

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch self {
        case .any: return true
        case .space: return TokenizerScalarClasses.isWhitespace(scalar)
        case .digit: return TokenizerScalarClasses.generalCategoryIndex(scalar) == 8
        case .word:
            switch scalar.value {
            case 0xB2, 0xB3, 0xB9, 0xBC, 0xBD, 0xBE: return true
            case 0x200C, 0x200D: return false
            default: return TokenizerScalarClasses.isWordCharacter(scalar)
            }
        case .general(let mask):
            return mask & (1 << UInt32(TokenizerScalarClasses.generalCategoryIndex(scalar))) != 0
        }
    }
}

/// Simple case folding for `(?i)`: a scalar matches a pattern scalar when both fold alike
/// (`S`, `s` and `ſ` all fold to `s`).
enum TokenizerRegexCaseFolding {
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.value < 128 {
            return scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(scalar.value + 32)! : scalar
        }
        let upper = single(scalar.properties.uppercaseMapping) ?? scalar
        return single(upper.properties.lowercaseMapping) ?? single(scalar.properties.lowercaseMapping) ?? scalar
    }

    /// Other scalars of the same fold, to test class membership case-insensitively.
    static func variants(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for candidate in [fold(scalar), single(scalar.properties.uppercaseMapping), single(scalar.properties.lowercaseMapping)] {
            if let candidate, candidate != scalar, !result.contains(candidate) { result.append(candidate) }
        }
        return result
    }

    private static func single(_ text: String) -> Unicode.Scalar? {
        var iterator = text.unicodeScalars.makeIterator()
        guard let first = iterator.next(), iterator.next() == nil else { return nil }
        return first
    }
}

/// One pre-tokenization step: cuts text into the pieces the model tokenizes independently.
///
/// Mirrors Hugging Face's pre-tokenizers of the same names; a `Sequence` is a list of steps applied
/// in order, each to every piece the previous step produced. Empty pieces are dropped, as Hugging Face does.
enum TokenizerPreTokenizer: Sendable {
    /// Byte-level: optional leading space, optional GPT-2 regex split, then bytes mapped to `ByteLevelAlphabet`.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// Keeps runs of `\w` and runs of `[^\w\s]`, dropping whitespace.
    case whitespace
    /// Splits on Unicode whitespace, dropping it.
    case whitespaceSplit
    /// Splits on the matches of a regex (or literal) pattern; `invert` makes the non-matches the delimiters.
    case split(TokenizerRegex, behavior: TokenizerSplitBehavior, invert: Bool)
    /// Numbers (Rust `char::is_numeric`) split off, one piece per digit when `individualDigits`.
    case digits(individualDigits: Bool)
    /// Spaces become `replacement` (usually "▁"), which is prepended per `prependScheme`; with
    /// `split`, each replacement starts a new piece.
    case metaspace(replacement: Unicode.Scalar, prependScheme: MetaspacePrependScheme, split: Bool)
    /// BERT: split on whitespace (dropped), then isolate each punctuation character.
    case bert
    /// Punctuation characters split off with `behavior`.
    case punctuation(TokenizerSplitBehavior)

    enum MetaspacePrependScheme: String, Sendable {
        case first, always, never
    }

    /// A piece of text and whether it begins at the start of the original input (offset 0).
    struct Piece {
        var scalars: [Unicode.Scalar]
        var startsAtOrigin: Bool
    }

    /// Applies the steps in order to `text` and returns the non-empty pieces.
    static func apply(_ steps: [TokenizerPreTokenizer], to text: String) -> [String] {
        apply(steps, to: text, startsAtOrigin: true)
    }

    /// `apply`, telling the steps whether `text` starts at offset 0 of the whole input.
    static func apply(_ steps: [TokenizerPreTokenizer], to text: String, startsAtOrigin: Bool) -> [String] {
        var pieces = text.isEmpty ? [] : [Piece(scalars: Array(text.unicodeScalars), startsAtOrigin: startsAtOrigin)]
        for step in steps {
            var next: [Piece] = []
            next.reserveCapacity(pieces.count)
            for piece in pieces { step.split(piece, into: &next) }
            pieces = next
        }
        return pieces.map { Self.text($0.scalars[...]) }
    }

    private func split(_ piece: Piece, into output: inout [Piece]) {
        let scalars = piece.scalars
        func emit(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            output.append(Piece(scalars: Array(scalars[range]), startsAtOrigin: piece.startsAtOrigin && range.lowerBound == 0))
        }
        switch self {
        case .byteLevel(let addPrefixSpace, let useRegex):
            var scalars = scalars
            if addPrefixSpace && scalars.first != " " { scalars.insert(" ", at: 0) }
            guard !scalars.isEmpty else { return }
            let ranges = useRegex ? GPT2PreTokenizerScanner.pieces(of: scalars) : [0..<scalars.count]
            for range in ranges {
                output.append(Piece(scalars: Self.byteLevelScalars(scalars[range]),
                                    startsAtOrigin: piece.startsAtOrigin && range.lowerBound == 0))
            }
        case .whitespace:
            var start = 0
            while start < scalars.count {
                let isWord = TokenizerScalarClasses.isWordCharacter(scalars[start])
                if !isWord && TokenizerScalarClasses.isWhitespace(scalars[start]) {
                    start += 1
                    continue
                }
                var end = start + 1
                while end < scalars.count {
                    let scalar = scalars[end]
                    let endIsWord = TokenizerScalarClasses.isWordCharacter(scalar)
                    if isWord ? !endIsWord : (endIsWord || TokenizerScalarClasses.isWhitespace(scalar)) { break }
                    end += 1
                }
                emit(start..<end)
                start = end
            }
        case .whitespaceSplit:
            for range in TokenizerSplitBehavior.removed.pieces(of: Self.scalarMatches(scalars, TokenizerScalarClasses.isWhitespace)) {
                emit(range)
            }
        case .split(let regex, let behavior, let invert):
            var matches = regex.findMatches(in: scalars)
            if invert { matches = matches.map { ($0.range, !$0.isMatch) } }
            for range in behavior.pieces(of: matches) { emit(range) }
        case .digits(let individualDigits):
            let behavior: TokenizerSplitBehavior = individualDigits ? .isolated : .contiguous
            for range in behavior.pieces(of: Self.scalarMatches(scalars, TokenizerScalarClasses.isNumeric)) { emit(range) }
        case .metaspace(let replacement, let prependScheme, let split):
            var replaced = scalars.map { $0 == " " ? replacement : $0 }
            let prepends: Bool
            switch prependScheme {
            case .always: prepends = replaced.first != replacement
            case .first: prepends = replaced.first != replacement && piece.startsAtOrigin
            case .never: prepends = false
            }
            if prepends { replaced.insert(replacement, at: 0) }
            let result = Piece(scalars: replaced, startsAtOrigin: piece.startsAtOrigin)
            guard split else {
                if !replaced.isEmpty { output.append(result) }
                return
            }
            let matches = Self.scalarMatches(replaced) { $0 == replacement }
            for range in TokenizerSplitBehavior.mergedWithNext.pieces(of: matches) where !range.isEmpty {
                output.append(Piece(scalars: Array(replaced[range]), startsAtOrigin: piece.startsAtOrigin && range.lowerBound == 0))
            }
        case .bert:
            for outer in TokenizerSplitBehavior.removed.pieces(of: Self.scalarMatches(scalars, TokenizerScalarClasses.isWhitespace)) {
                let word = Array(scalars[outer])
                for inner in TokenizerSplitBehavior.isolated.pieces(of: Self.scalarMatches(word, TokenizerScalarClasses.isBertPunctuation)) {
                    emit(inner.lowerBound + outer.lowerBound ..< inner.upperBound + outer.lowerBound)
                }
            }
        case .punctuation(let behavior):
            for range in behavior.pieces(of: Self.scalarMatches(scalars, TokenizerScalarClasses.isBertPunctuation)) {
                emit(range)
            }
        }
    }

    /// `tokenizers`' `find_matches` for a character predicate: each matching scalar is its own match,
    /// runs of other scalars are single non-matches.
    static func scalarMatches(_ scalars: [Unicode.Scalar], _ predicate: (Unicode.Scalar) -> Bool)
        -> [(range: Range<Int>, isMatch: Bool)] {
        if scalars.isEmpty { return [(0..<0, false)] }
        var result: [(range: Range<Int>, isMatch: Bool)] = []
        var lastOffset = 0
        for (index, scalar) in scalars.enumerated() where predicate(scalar) {
            if lastOffset < index { result.append((lastOffset..<index, false)) }
            result.append((index..<index + 1, true))
            lastOffset = index + 1
        }
        if lastOffset < scalars.count { result.append((lastOffset..<scalars.count, false)) }
        return result
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// The UTF-8 bytes of `scalars`, each written as its `ByteLevelAlphabet` character.
    private static func byteLevelScalars(_ scalars: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(scalars.count)
        let alphabet = ByteLevelAlphabet.scalarForByte
        for scalar in scalars {
            UTF8.encode(scalar) { output.append(alphabet[Int($0)]) }
        }
        return output
    }
}

/// One pre-tokenization step: cuts text into the pieces the model tokenizes independently.
///
/// Mirrors Hugging Face's pre-tokenizers of the same names; a `Sequence` is a list of steps applied
/// in order, each to every piece the previous step produced. Empty pieces are dropped, as Hugging Face does.
enum TokenizerPreTokenizer: Equatable, Sendable {
    /// Byte-level: optional leading space, optional GPT-2 regex split, then bytes mapped to `ByteLevelAlphabet`.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// Keeps runs of `\w` and runs of `[^\w\s]`, dropping whitespace.
    case whitespace
    /// Splits on Unicode whitespace, dropping it.
    case whitespaceSplit

    /// Applies the steps in order to `text` and returns the non-empty pieces.
    static func apply(_ steps: [TokenizerPreTokenizer], to text: String) -> [String] {
        var pieces = text.isEmpty ? [] : [text]
        for step in steps {
            var next: [String] = []
            next.reserveCapacity(pieces.count)
            for piece in pieces { step.split(piece, into: &next) }
            pieces = next
        }
        return pieces
    }

    private func split(_ piece: String, into output: inout [String]) {
        switch self {
        case .byteLevel(let addPrefixSpace, let useRegex):
            var scalars = Array(piece.unicodeScalars)
            if addPrefixSpace && scalars.first != " " { scalars.insert(" ", at: 0) }
            guard !scalars.isEmpty else { return }
            if useRegex {
                for range in GPT2PreTokenizerScanner.pieces(of: scalars) {
                    output.append(Self.byteLevelText(scalars[range]))
                }
            } else {
                output.append(Self.byteLevelText(scalars[...]))
            }
        case .whitespace:
            let scalars = Array(piece.unicodeScalars)
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
                output.append(Self.text(scalars[start..<end]))
                start = end
            }
        case .whitespaceSplit:
            var current = String.UnicodeScalarView()
            for scalar in piece.unicodeScalars {
                if TokenizerScalarClasses.isWhitespace(scalar) {
                    if !current.isEmpty { output.append(String(current)) }
                    current = String.UnicodeScalarView()
                } else {
                    current.append(scalar)
                }
            }
            if !current.isEmpty { output.append(String(current)) }
        }
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// The UTF-8 bytes of `scalars`, each written as its `ByteLevelAlphabet` character.
    private static func byteLevelText(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        let alphabet = ByteLevelAlphabet.scalarForByte
        for scalar in scalars {
            UTF8.encode(scalar) { view.append(alphabet[Int($0)]) }
        }
        return String(view)
    }
}

/// Splits text exactly as GPT-2's pre-tokenizer regex does:
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// A hand-written scanner over Unicode scalars rather than a regex engine: it is much faster and its
/// character classes are pinned to Hugging Face's (see `TokenizerScalarClasses`). The alternatives are
/// tried in order at each piece start, as the backtracking regex does; every scalar lands in a piece.
enum GPT2PreTokenizerScanner {
    /// The pieces of `scalars` as consecutive, non-empty index ranges covering the whole input.
    static func pieces(of scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let count = scalars.count
        var classes = [TokenizerScalarClasses.GPT2Class]()
        classes.reserveCapacity(count)
        for scalar in scalars { classes.append(TokenizerScalarClasses.gpt2Class(scalar)) }

        var ranges: [Range<Int>] = []
        var start = 0
        while start < count {
            let end = pieceEnd(from: start, scalars: scalars, classes: classes)
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    private static func pieceEnd(from start: Int, scalars: [Unicode.Scalar],
                                 classes: [TokenizerScalarClasses.GPT2Class]) -> Int {
        let count = scalars.count
        if scalars[start] == "'", let length = contractionLength(after: start, scalars: scalars) {
            return start + length
        }
        // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: one optional U+0020, then a run of one class.
        var runStart = start
        if scalars[start] == " ", start + 1 < count, classes[start + 1] != .whitespace {
            runStart = start + 1
        }
        let runClass = classes[runStart]
        if runClass != .whitespace {
            var end = runStart + 1
            while end < count, classes[end] == runClass { end += 1 }
            return end
        }
        // `\s+(?!\S)` then `\s+`: a whitespace run, leaving its last scalar for the next piece when a
        // non-space follows and the run is longer than one.
        var end = start + 1
        while end < count, classes[end] == .whitespace { end += 1 }
        if end == count || end - start == 1 { return end }
        return end - 1
    }

    /// Length of `'s`, `'t`, `'re`, `'ve`, `'m`, `'ll` or `'d` at `index` (lowercase only, as in GPT-2).
    private static func contractionLength(after index: Int, scalars: [Unicode.Scalar]) -> Int? {
        guard index + 1 < scalars.count else { return nil }
        switch scalars[index + 1] {
        case "s", "t", "m", "d":
            return 2
        case "r", "v":
            return index + 2 < scalars.count && scalars[index + 2] == "e" ? 3 : nil
        case "l":
            return index + 2 < scalars.count && scalars[index + 2] == "l" ? 3 : nil
        default:
            return nil
        }
    }
}

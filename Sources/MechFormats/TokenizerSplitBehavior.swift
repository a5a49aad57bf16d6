/// What a split does with the delimiters it finds (Hugging Face `SplitDelimiterBehavior`).
enum TokenizerSplitBehavior: String, Sendable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"

    /// The kept pieces (possibly empty ranges, which callers drop) for `matches`, a cover of the
    /// text by consecutive ranges flagged as delimiter or not, exactly as `NormalizedString::split`.
    func pieces(of matches: [(range: Range<Int>, isMatch: Bool)]) -> [Range<Int>] {
        switch self {
        case .isolated:
            return matches.map(\.range)
        case .removed:
            return matches.filter { !$0.isMatch }.map(\.range)
        case .contiguous:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in matches {
                if isMatch == previousMatch, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<range.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result
        case .mergedWithPrevious:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in matches {
                if isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1] = last.lowerBound..<range.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result
        case .mergedWithNext:
            var result: [Range<Int>] = []
            var previousMatch = false
            for (range, isMatch) in matches.reversed() {
                if isMatch && !previousMatch, let last = result.last {
                    result[result.count - 1] = range.lowerBound..<last.upperBound
                } else {
                    result.append(range)
                }
                previousMatch = isMatch
            }
            return result.reversed()
        }
    }
}

/// Picks the known names closest to a mistyped one, so "no tensor X" errors can say what exists.
enum NameSuggestions {
    /// Up to `limit` names from `candidates`: first those containing `name` (a prefix-less or
    /// suffix-less spelling such as `wte` for `transformer.wte.weight`), then the rest, each group
    /// ordered by edit distance and then by name.
    static func closest(to name: String, among candidates: [String], limit: Int = 3) -> [String] {
        let target = Array(name.utf8)
        return candidates
            .map { (name: $0, contains: $0.contains(name) ? 0 : 1, distance: editDistance(target, Array($0.utf8))) }
            .sorted { ($0.contains, $0.distance, $0.name) < ($1.contains, $1.distance, $1.name) }
            .prefix(limit)
            .map(\.name)
    }

    /// Levenshtein distance over bytes, with one reusable row.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let above = row[j]
                row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}

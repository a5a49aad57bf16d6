/// The BPE merges a SentencePiece vocabulary implies, for a GGUF file that lists tokens and scores but no
/// merges: `transformers`' `generate_merges(vocab, vocab_scores)`. Every way of cutting a token into two
/// tokens of the vocabulary is a merge, ranked by the token's score (highest first), then by the longer
/// left piece and the longer right piece; equal keys keep vocabulary order, and one token's cuts are
/// ordered by the ids of their pieces. Lengths and cuts count Unicode scalars, as Python's `str` does.
enum GGUFSentencePieceMerges {
    static func merges(tokens: [String], scores: [Double]) -> [(String, String)] {
        // Python's {token: index} keeps a repeated token's last index; {token: score} its first
        // position and last score.
        var index: [ExactText: Int] = [:]
        var firstPosition: [ExactText: Int] = [:]
        var order: [ExactText] = []
        var score: [ExactText: Double] = [:]
        for (id, token) in tokens.enumerated() {
            let key = ExactText(token)
            index[key] = id
            if firstPosition[key] == nil {
                firstPosition[key] = order.count
                order.append(key)
            }
            score[key] = scores[id]
        }

        struct Candidate {
            let left: String
            let right: String
            let score: Double
            let leftLength: Int
            let rightLength: Int
        }
        var candidates: [Candidate] = []
        for key in order {
            let scalars = Array(key.text.unicodeScalars)
            guard scalars.count > 1 else { continue }
            var local: [(candidate: Candidate, leftID: Int, rightID: Int)] = []
            for cut in 1..<scalars.count {
                let left = String(String.UnicodeScalarView(scalars[..<cut]))
                let right = String(String.UnicodeScalarView(scalars[cut...]))
                guard let leftID = index[ExactText(left)], let rightID = index[ExactText(right)] else { continue }
                local.append((Candidate(left: left, right: right, score: score[key]!, leftLength: cut,
                                        rightLength: scalars.count - cut), leftID, rightID))
            }
            local.sort { ($0.leftID, $0.rightID) < ($1.leftID, $1.rightID) }
            candidates.append(contentsOf: local.map(\.candidate))
        }
        // A stable sort, descending on (score, left length, right length).
        let ranked = candidates.indices.sorted { a, b in
            let x = candidates[a], y = candidates[b]
            if x.score != y.score { return x.score > y.score }
            if x.leftLength != y.leftLength { return x.leftLength > y.leftLength }
            if x.rightLength != y.rightLength { return x.rightLength > y.rightLength }
            return a < b
        }
        return ranked.map { (candidates[$0].left, candidates[$0].right) }
    }
}

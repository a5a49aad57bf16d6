/// WordPiece (BERT): each word split greedily into the longest vocabulary entries from the left,
/// pieces after the first carrying `continuingSubwordPrefix` ("##"); a word that cannot be split
/// completely, or is longer than `maximumInputCharacters` scalars, becomes the unknown token.
struct WordPieceModel: Sendable {
    let tokenToID: [ExactText: Int]
    let unknownToken: String
    let continuingSubwordPrefix: String
    let maximumInputCharacters: Int

    /// The ids of one word, exactly as Hugging Face's `WordPiece::tokenize`.
    func tokenize(_ word: String) throws -> [Int] {
        let scalars = Array(word.unicodeScalars)
        if scalars.count > maximumInputCharacters { return [try unknownID(word)] }
        var ids: [Int] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int? = nil
            while start < end {
                var piece = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { piece = continuingSubwordPrefix + piece }
                if let id = tokenToID[ExactText(piece)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return [try unknownID(word)] }
            ids.append(id)
            start = end
        }
        return ids
    }

    private func unknownID(_ word: String) throws -> Int {
        guard let id = tokenToID[ExactText(unknownToken)] else {
            throw TokenizerError.wordNotInVocabulary(word: word, unknownToken: unknownToken)
        }
        return id
    }
}

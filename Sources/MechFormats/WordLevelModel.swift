/// Word-level model: each pre-tokenized word is one vocabulary entry, or the unknown token.
struct WordLevelModel: Sendable {
    /// Vocabulary string to id.
    let tokenToID: [ExactText: Int]
    /// The `unk_token` string from the file (Hugging Face's default is "<unk>").
    let unknownToken: String
    /// Id of `unknownToken`, or nil when the vocabulary lacks it (then unknown words cannot be encoded).
    let unknownTokenID: Int?

    init(vocabulary: [ExactText: Int], unknownToken: String) {
        tokenToID = vocabulary
        self.unknownToken = unknownToken
        unknownTokenID = vocabulary[ExactText(unknownToken)]
    }

    /// The id of `word`, or of the unknown token; throws if neither exists (as Hugging Face does).
    func tokenize(_ word: String) throws -> [Int] {
        if let id = tokenToID[ExactText(word)] { return [id] }
        guard let unknownTokenID else {
            throw TokenizerError.wordNotInVocabulary(word: word, unknownToken: unknownToken)
        }
        return [unknownTokenID]
    }
}

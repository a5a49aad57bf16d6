/// The model stage of a tokenizer: turns one pre-tokenized piece into ids.
enum TokenizerModel: Sendable {
    case bpe(BPEModel)
    case unigram(UnigramModel)
    case wordLevel(WordLevelModel)
    case wordPiece(WordPieceModel)

    /// Vocabulary string to id, for `id(of:)` and reverse lookup.
    var tokenToID: [ExactText: Int] {
        switch self {
        case .bpe(let model): return model.tokenToID
        case .unigram(let model): return model.tokenToID
        case .wordLevel(let model): return model.tokenToID
        case .wordPiece(let model): return model.tokenToID
        }
    }

    /// The ids of one piece.
    func tokenize(_ piece: String) throws -> [Int] {
        switch self {
        case .bpe(let model): return model.tokenize(piece)
        case .unigram(let model): return try model.tokenize(piece)
        case .wordLevel(let model): return try model.tokenize(piece)
        case .wordPiece(let model): return try model.tokenize(piece)
        }
    }
}

/// Everything a tokenizer file describes, before it is assembled into a `Tokenizer`.
struct TokenizerComponents: Sendable {
    var model: TokenizerModel
    var normalizers: [TokenizerNormalizer]
    var preTokenizers: [TokenizerPreTokenizer]
    var decoder: TokenizerDecoder
    var addedTokens: [TokenizerAddedToken]
    /// What `encode(_:addSpecialTokens: true)` adds around the ids (no steps when the file has none).
    var postProcessor = TokenizerPostProcessor.none
}

/// An entry of `tokenizer.json`'s `added_tokens`: text matched verbatim before pre-tokenization
/// (special tokens such as `<|endoftext|>`, or user-added words), with Hugging Face's matching flags.
public struct TokenizerAddedToken: Equatable, Sendable {
    /// The token's id.
    public let id: Int
    /// The text as written in the file.
    public let content: String
    /// Special tokens are control tokens (BOS/EOS/padding); decoding can skip them.
    public let isSpecial: Bool
    /// Only match when not touching word characters on either side.
    public let isSingleWord: Bool
    /// Swallow whitespace to the left of a match into the token.
    public let stripsLeft: Bool
    /// Swallow whitespace to the right of a match into the token.
    public let stripsRight: Bool
    /// Match against normalized text (after the normalizer) instead of the raw input.
    public let isNormalized: Bool

    public init(id: Int, content: String, isSpecial: Bool, isSingleWord: Bool = false, stripsLeft: Bool = false,
                stripsRight: Bool = false, isNormalized: Bool = false) {
        self.id = id
        self.content = content
        self.isSpecial = isSpecial
        self.isSingleWord = isSingleWord
        self.stripsLeft = stripsLeft
        self.stripsRight = stripsRight
        self.isNormalized = isNormalized
    }
}

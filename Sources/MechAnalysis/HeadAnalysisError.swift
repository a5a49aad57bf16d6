import Foundation

/// Why a head analysis could not run on what it was given; each case carries the values a user
/// needs to correct the request.
public enum HeadAnalysisError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case headOutOfRange(layer: Int, head: Int, layers: Int, heads: Int)
    case tokenOutOfRange(token: Int, vocabularySize: Int)
    /// The repeated random sequence needs at least 2·2 positions of context.
    case contextTooShortForRepeatedSequence(context: Int)
    /// Every id of the vocabulary is a special token, so there is nothing to draw from.
    case noOrdinaryTokens(vocabularySize: Int)
    case patternMissing(layer: Int)
    /// A quantity read through W_pos asked of a model with rotary or no positions.
    case noLearnedPositions(quantity: String)

    public var description: String {
        switch self {
        case let .headOutOfRange(layer, head, layers, heads):
            return "head L\(layer)H\(head) does not exist: the model has layers 0–\(layers - 1) with heads 0–\(heads - 1)"
        case let .tokenOutOfRange(token, vocabularySize):
            return "token id \(token) is outside the vocabulary (0–\(vocabularySize - 1))"
        case let .contextTooShortForRepeatedSequence(context):
            return "the model's context of \(context) positions is too short for a repeated sequence (needs at least 4)"
        case let .noOrdinaryTokens(vocabularySize):
            return "all \(vocabularySize) token ids are special tokens, so no random sequence can be drawn"
        case let .noLearnedPositions(quantity):
            return "\(quantity) does not exist for this model: it has no learned position embedding (W_pos)"
        case let .patternMissing(layer):
            return "the forward pass did not keep blocks.\(layer).attn.hook_pattern (internal error; please report it)"
        }
    }

    public var errorDescription: String? { description }
}

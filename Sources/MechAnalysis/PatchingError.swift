import Foundation

/// Why a patching sweep cannot run, in one line a user can act on.
public enum PatchingError: Error, CustomStringConvertible, LocalizedError, Equatable {
    case lengthMismatch(clean: Int, corrupted: Int)
    case tokenOutOfRange(role: String, token: Int, vocabSize: Int)
    case indistinguishableRuns(logitDiff: Float)
    case noMLP

    public var description: String {
        switch self {
        case .lengthMismatch(let clean, let corrupted):
            return "the clean prompt is \(clean) tokens and the corrupted prompt \(corrupted): "
                + "patching needs prompts of the same length, position by position"
        case .tokenOutOfRange(let role, let token, let vocab):
            return "the \(role) token id \(token) is outside the vocabulary of \(vocab)"
        case .indistinguishableRuns(let diff):
            return "the clean and corrupted runs give the same logit difference (\(diff)): the normalised "
                + "metric is undefined; pick prompts or tokens that the model tells apart"
        case .noMLP:
            return "the model is attention-only: it has no hook_mlp_out to patch"
        }
    }

    public var errorDescription: String? { description }
}

import Foundation

/// A Unicode normalization applied to text before pre-tokenization (Hugging Face `normalizers`).
///
/// Only the four standard forms are supported; a `Sequence` is a list applied in order.
enum TokenizerNormalizer: String, Equatable, Sendable {
    case nfc = "NFC"
    case nfd = "NFD"
    case nfkc = "NFKC"
    case nfkd = "NFKD"

    /// `text` normalized by each step in turn.
    static func apply(_ steps: [TokenizerNormalizer], to text: String) -> String {
        steps.reduce(text) { partial, step in step.normalize(partial) }
    }

    private func normalize(_ text: String) -> String {
        switch self {
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        }
    }
}

import Foundation

/// A per-head number the atlas can shade by.
public enum HeadMetric: String, CaseIterable, Sendable {
    case induction, previousToken = "prev-token", duplicateToken = "dup-token"
    case repeatedInduction = "induction-rand", entropy, ovCopying = "ov-copying", attribution = "dla"

    public var title: String {
        switch self {
        case .induction: return "induction score (detect_head, on the prompt)"
        case .previousToken: return "previous-token score (detect_head, on the prompt)"
        case .duplicateToken: return "duplicate-token score (detect_head, on the prompt)"
        case .repeatedInduction: return "induction on a repeated random sequence (i → i−n+1)"
        case .entropy: return "mean attention entropy, nats (shaded ÷ ln n: dark = focused)"
        case .ovCopying: return "OV copying score Σλ/Σ|λ| of W_E·W_OV·W_U"
        case .attribution: return "direct logit attribution to the answer at the last position"
        }
    }

    /// Why the metric is not defined for `model`, in one line; nil when it is. Induction scores
    /// assume causal attention (a query reads what came before); OV copying and DLA read the LM head.
    public func inapplicability(to model: ModelSummary) -> String? {
        switch self {
        case .induction, .repeatedInduction:
            return model.isCausal ? nil
                : "\(rawValue) assumes causal attention, and this \(model.modelType) encoder attends in both directions"
        case .ovCopying, .attribution:
            return model.hasLMHead || model.isToy ? nil : "\(rawValue) reads the LM head, and this \(model.modelType) encoder has none"
        case .previousToken, .duplicateToken, .entropy: return nil
        }
    }

    /// The metrics defined for `model`, in the atlas's cycling order.
    public static func applicable(to model: ModelSummary) -> [HeadMetric] {
        allCases.filter { $0.inapplicability(to: model) == nil }
    }

    /// Whether the values are signed (diverging scale) rather than ≥ 0 (sequential).
    public var isSigned: Bool { self == .ovCopying || self == .attribution }

    /// Parses a metric name as `:metric` takes it (its raw value or a short alias).
    public init?(name: String) {
        let n = name.lowercased()
        if let m = HeadMetric(rawValue: n) { self = m; return }
        switch n {
        case "prev", "previous": self = .previousToken
        case "dup", "duplicate": self = .duplicateToken
        case "repeated", "rand", "ind-rand": self = .repeatedInduction
        case "copying", "ov": self = .ovCopying
        case "attribution", "logit": self = .attribution
        case "ind": self = .induction
        default: return nil
        }
    }

    /// A value mapped to the scale: 0…1 (sequential) or −1…1 (diverging). `scale` is the largest
    /// magnitude present: pattern scores and DLA are shaded relative to it, so the strongest head
    /// stands out even where detect_head's averages stay small; entropy is shaded ÷ ln(tokens),
    /// OV copying on its own −1…1 scale.
    public func shade(_ value: Double, scale: Double, tokens: Int) -> Double {
        guard value.isFinite else { return .nan }
        switch self {
        case .entropy: return tokens > 1 ? value / log(Double(tokens)) : 0
        case .ovCopying: return value
        default: return scale > 0 ? value / scale : 0
        }
    }
}

import Foundation

/// One ablation the user made in the explorer: what is ablated, how, and whether it is on. The
/// list of them lives in the state; the runner turns the active ones into `Intervention`s.
public struct Ablation: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        case head(layer: Int, head: Int)
        case neuron(layer: Int, neuron: Int)

        public var name: String {
            switch self {
            case .head(let l, let h): return "L\(l)H\(h)"
            case .neuron(let l, let n): return "L\(l)N\(n)"
            }
        }
    }

    /// Zero: as `mechscope ablate` (a head's processed z = 0, a neuron's activation 0); mean: the
    /// mean over the prompt's positions (`mechscope ablate --mean`).
    public enum Kind: String, Hashable, Sendable { case zero, mean }

    public var target: Target
    public var kind: Kind
    public var enabled: Bool

    public init(_ target: Target, _ kind: Kind, enabled: Bool = true) {
        self.target = target
        self.kind = kind
        self.enabled = enabled
    }

    /// "zero-ablate L1H3".
    public var label: String { "\(kind.rawValue)-ablate \(target.name)" }
}

/// What a run predicts, for comparing an ablated run with the clean one: the answer's probability
/// and logit at the last position, the logit difference to the wrong token, and the loss.
public struct RunMetrics: Equatable, Sendable {
    public let answerProbability: Float
    public let answerLogit: Float
    public let logitDifference: Float?
    public let loss: Float?

    /// Nil when there are no last-position logits or the tokens are out of range.
    public init?(lastLogits: [Float], loss: Float?, answer: Int, wrong: Int?) {
        guard answer >= 0, answer < lastLogits.count else { return nil }
        let top = lastLogits.max() ?? 0
        var sum: Double = 0
        for x in lastLogits { sum += exp(Double(x - top)) }
        answerProbability = Float(exp(Double(lastLogits[answer] - top)) / sum)
        answerLogit = lastLogits[answer]
        if let wrong, wrong >= 0, wrong < lastLogits.count { logitDifference = lastLogits[answer] - lastLogits[wrong] } else {
            logitDifference = nil
        }
        self.loss = loss
    }
}

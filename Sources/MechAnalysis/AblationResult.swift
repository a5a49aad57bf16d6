import MechTensor

/// How an ablated component's activation is replaced.
public enum AblationMode: String, CaseIterable, Sendable {
    /// Zero, as TransformerLens's default (processed) model sees it; see `AblationSweep`.
    case zero
    /// Its mean over the positions of a reference run.
    case mean
}

/// What was ablated, one at a time.
public enum AblationUnit: String, Sendable {
    case head
    case neuron
}

/// The metric after ablating one head or neuron, and its change from the unablated run.
public struct AblationEffect: Sendable, Equatable {
    public let layer: Int
    /// The head, or the neuron, within the layer.
    public let index: Int
    /// logit[answer] − logit[wrong] at the last position with the component ablated.
    public let logitDiff: Float
    /// The ablated logit difference minus the unablated one.
    public let logitDiffChange: Float
    /// Mean next-token loss with the component ablated (nil for a one-token prompt).
    public let loss: Float?
    /// The ablated loss minus the unablated one.
    public let lossChange: Float?
}

/// One ablation sweep: every head of the model, or every neuron of one layer.
public struct AblationResult: Sendable, Equatable {
    public let unit: AblationUnit
    public let mode: AblationMode
    public let baselineLogitDiff: Float
    public let baselineLoss: Float?
    /// In layer, then head (or neuron) order.
    public let effects: [AblationEffect]

    /// The `count` effects that move the logit difference most, largest |change| first (NaN last).
    public func strongest(_ count: Int) -> [AblationEffect] {
        TopK.indices(of: effects.map { abs($0.logitDiffChange) }, k: max(count, 0)).map { effects[$0] }
    }
}

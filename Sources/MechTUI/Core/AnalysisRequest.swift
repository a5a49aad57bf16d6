import MechAnalysis

/// The answer a logit difference or attribution is measured for.
public struct LogitTarget: Hashable, Sendable {
    public let answer: Int
    public let wrong: Int?

    public init(answer: Int, wrong: Int? = nil) {
        self.answer = answer
        self.wrong = wrong
    }
}

/// Something a view needs computed off the input loop. Views list what they need for the current
/// state; the core asks the worker for whatever is neither ready nor on its way.
public enum AnalysisRequest: Hashable, Sendable {
    /// One per-head number for every head (layer-major), filled layer by layer.
    case headMetric(HeadMetric, target: LogitTarget?)
    /// One head's OV and QK circuits read at `token`, its copying score and compositions.
    case headCircuit(layer: Int, head: Int, token: Int)
    /// The logit lens at the given positions (every layer's residual through the final norm),
    /// with the target's rank and probability.
    case lens(positions: [Int], target: Int?)
    /// Direct logit attribution at the last position, per component or per head.
    case attribution(AttributionUnit, target: LogitTarget)
    /// The tokens a neuron's output weights promote and suppress.
    case neuronEffect(layer: Int, neuron: Int)
    /// Every neuron of a layer's direct logit attribution at the last position.
    case neuronAttribution(layer: Int, target: LogitTarget)
    /// What the model's own output (final residual → final norm → unembedding) predicts at the
    /// given positions: the lens's last entry alone.
    case finalReadout(positions: [Int])
    /// One activation-patching grid between the clean and the corrupted prompt, as
    /// `mechscope patch` computes it, filled cell by cell.
    case patching(PatchingTarget, PatchingQuestion)
    /// `request` computed on the corrupted prompt's run instead of the clean one.
    indirect case onCorrupted(AnalysisRequest)
    /// The embedding's power per frequency over tokens 0..<modulus (weights only).
    case fourierSpectrum(modulus: Int)
    /// The model on every input of a modular-addition story: activations and accuracy. Counted as
    /// prompt-dependent so that a new prompt cancels it (its result is recomputed then).
    case modularSweep(FourierStory)

    /// Whether the result depends on the prompt (and must be recomputed when it changes), rather
    /// than on the weights alone.
    public var dependsOnPrompt: Bool {
        switch self {
        case .headMetric(let m, _): return m != .ovCopying && m != .repeatedInduction
        case .headCircuit, .neuronEffect: return false
        case .lens, .attribution, .neuronAttribution, .finalReadout, .patching, .onCorrupted: return true
        case .fourierSpectrum: return false
        case .modularSweep: return true
        }
    }

    /// Long work the core cancels when the page that asked for it is left.
    public var isCancellable: Bool {
        if case .patching = self { return true }
        return false
    }

    /// The request itself and whether it runs on the corrupted prompt's run.
    public var unwrapped: (request: AnalysisRequest, onCorrupted: Bool) {
        if case .onCorrupted(let inner) = self { return (inner, true) }
        return (self, false)
    }

    /// What the status line says while it runs.
    public var label: String {
        switch self {
        case .headMetric(let m, _): return "\(m.rawValue) scores"
        case .headCircuit(let l, let h, _): return "L\(l)H\(h) circuits"
        case .lens: return "logit lens"
        case .attribution: return "attribution"
        case .neuronEffect(let l, let n): return "L\(l)N\(n) output weights"
        case .neuronAttribution(let l, _): return "layer \(l) neuron attribution"
        case .finalReadout: return "final readout"
        case .patching(let target, _): return "patching \(target.rawValue)"
        case .onCorrupted(let inner): return inner.label + " (corrupted)"
        case .fourierSpectrum: return "Fourier spectrum"
        case .modularSweep(let s): return "all \(s.modulus)×\(s.modulus) inputs"
        }
    }
}

public enum AttributionUnit: String, Hashable, Sendable {
    case component, head
}

/// What a patching grid compares: the two prompts' tokens and the logit difference
/// logit[answer] − logit[wrong] at the last position (`mechscope patch --answer --wrong`).
public struct PatchingQuestion: Hashable, Sendable {
    public let clean: [Int]
    public let corrupted: [Int]
    public let answer: Int
    public let wrong: Int

    public init(clean: [Int], corrupted: [Int], answer: Int, wrong: Int) {
        self.clean = clean
        self.corrupted = corrupted
        self.answer = answer
        self.wrong = wrong
    }
}

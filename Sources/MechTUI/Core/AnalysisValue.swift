import MechAnalysis

/// A finished (or partly finished) analysis, as plain values the views draw from.
public enum AnalysisValue: @unchecked Sendable {
    /// Layer-major per-head values; NaN where not computed (yet, or at all).
    case headMetric([Double])
    case headCircuit(HeadCircuitSummary)
    case lens(LogitLensResult)
    /// Attributions, and the logit (difference) they add up to with the unembedding bias: the
    /// processed model's (raw logit minus its mean over the vocabulary, or answer − wrong).
    case attribution(DirectLogitAttributionResult, logit: Float)
    case neuronEffect(NeuronOutputEffect)
    /// [d_mlp] values.
    case neuronAttribution([Float])
    /// One reading per position asked for.
    case readout([LogitLensReading])
    /// A patching grid, partly or wholly filled.
    case patching(PatchingCells)
    case fourierSpectrum(EmbeddingFourierSpectrum)
    case modularSweep(ModularSweep)
}

/// What the attention-head page shows of a head's weights: OV and QK read at one token, the
/// copying score, the positional preference and the strongest compositions with earlier heads.
public struct HeadCircuitSummary: Sendable {
    public let layer: Int
    public let head: Int
    public let token: Int
    public let promoted: [CircuitTokenScore]
    public let suppressed: [CircuitTokenScore]
    public let preferredKeys: [CircuitTokenScore]
    public let copyingScore: Double
    /// nil for models without learned positions (no positional QK circuit).
    public let positional: PositionalPreference?
    /// Earlier heads by composition kind ("Q", "K", "V"), strongest first.
    public let compositions: [(kind: String, layer: Int, head: Int, score: Float)]

    public init(layer: Int, head: Int, token: Int, promoted: [CircuitTokenScore], suppressed: [CircuitTokenScore],
                preferredKeys: [CircuitTokenScore], copyingScore: Double, positional: PositionalPreference?,
                compositions: [(kind: String, layer: Int, head: Int, score: Float)]) {
        self.layer = layer
        self.head = head
        self.token = token
        self.promoted = promoted
        self.suppressed = suppressed
        self.preferredKeys = preferredKeys
        self.copyingScore = copyingScore
        self.positional = positional
        self.compositions = compositions
    }
}

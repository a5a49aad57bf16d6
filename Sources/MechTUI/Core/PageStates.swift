import MechAnalysis

/// Cursor and toggles of each kind of page, kept while the user moves between pages so that
/// coming back finds them where they were.
public struct AtlasState: Equatable, Sendable {
    public var layer = 0
    public var head = 0
}

public struct LayerPageState: Equatable, Sendable {
    public var head = 0
    public var showScores = false
}

public struct HeadPageState: Equatable, Sendable {
    /// The query position under the cursor.
    public var query = 0
    /// The key position under the cursor (for reading one weight and choosing the OV token).
    public var key = 0
    public var showScores = false
    /// Two query rows a line (half blocks) and keys compressed to fit.
    public var zoomedOut = false
    /// The token the OV/QK summaries read; nil: the token at the query's most-attended key.
    public var circuitToken: Int?
    /// The head summary's first line shown, where its rows do not hold all of it (J / K page it).
    public var summaryScroll = 0
}

public enum NeuronRanking: String, CaseIterable, Sendable {
    case activationHere = "activation at the cursor token"
    case maxOverPrompt = "max activation over the prompt"
    case attribution = "direct logit attribution to the answer"
}

public struct NeuronsPageState: Equatable, Sendable {
    public var row = 0
    public var ranking: NeuronRanking = .activationHere
    /// The token position the ranking reads (default: the last).
    public var position: Int?
}

public struct NeuronPageState: Equatable, Sendable {
    public var scroll = 0
}

public struct LensPageState: Equatable, Sendable {
    /// Row: the residual stream entry (0 = before layer 0, …, last = final; nil: the final one).
    public var row: Int?
    /// Column: the token position (nil: the last).
    public var position: Int?
    public var firstColumn = 0
}

public struct LogitsPageState: Equatable, Sendable {
    public var row = 0
}

public struct AttributionPageState: Equatable, Sendable {
    public var row = 0
    public var unit: AttributionUnit = .component
    /// Largest |attribution| first, rather than in model order.
    public var sorted = true
}

public struct ListPageState: Equatable, Sendable {
    public var row = 0
}

/// Which run the attention-head and logit-lens pages show when there is a corrupted prompt.
public enum CompareMode: String, Sendable {
    case clean
    case corrupted
    /// The corrupted run minus the clean one (attention patterns; same token count only).
    case difference
}

public struct PatchingPageState: Equatable, Sendable {
    /// The grid shown: resid_pre, attn_out, mlp_out (layer × position) or heads (layer × head).
    public var target: PatchingTarget = .residPre
    /// The cursor cell.
    public var layer = 0
    public var column = 0
}

public struct FourierPageState: Equatable, Sendable {
    /// The neuron whose activation over every input is shown (nil: the one firing most on the prompt).
    public var neuron: Int?
}

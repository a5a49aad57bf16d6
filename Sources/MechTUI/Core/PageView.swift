/// One kind of page: how it moves, what it needs computed, and how it draws. Pages are stateless
/// types over `ExplorerState`; an action changes the state and returns what must happen next.
public protocol PageView {
    /// Handles an action in the page's context; nil when the page does not handle it (the core
    /// then applies its global meaning).
    static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome?
    /// What the page needs computed for the current state (only what is visible).
    static func requests(_ state: ExplorerState) -> [AnalysisRequest]
    /// Draws the page into `canvas` (its rectangle is the main view).
    static func render(_ state: ExplorerState, into canvas: inout Canvas)
    /// Whether the page waits for the prompt's run (default: yes).
    static var needsRun: Bool { get }
}

extension PageView {
    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] { [] }
    public static var needsRun: Bool { true }
}

/// What an action on a page leads to.
public enum PageOutcome: Equatable, Sendable {
    /// Redraw the main view.
    case redraw
    /// Nothing changed.
    case none
    /// Go to another page (pushing the current one on the jump list).
    case go(Page)
    /// Set the answer (or wrong) token and redraw what depends on it.
    case setAnswer(Int)
    case setWrong(Int?)
    /// Show a message in the status line.
    case message(StatusMessage)
}

/// The page type of each page.
public enum PageViews {
    /// The page type of `page` on `model`: a one-line notice where the page does not apply.
    public static func view(for page: Page, model: ModelSummary) -> PageView.Type {
        page.inapplicability(to: model) == nil ? view(for: page) : NotApplicableView.self
    }

    public static func view(for page: Page) -> PageView.Type {
        switch page {
        case .atlas: return HeadAtlasView.self
        case .layer: return LayerHeadsView.self
        case .head: return AttentionHeadView.self
        case .neurons: return NeuronListView.self
        case .neuron: return NeuronView.self
        case .lens: return LogitLensView.self
        case .logits: return NextTokenView.self
        case .attribution: return AttributionView.self
        case .embed: return EmbeddingView.self
        case .finalNorm: return FinalNormView.self
        case .ablations: return AblationsView.self
        case .patching: return PatchingView.self
        case .fourier: return FourierView.self
        case .features: return FeaturesView.self
        }
    }
}

import MechModels

/// Everything the screen shows, as one value: the core's reducer changes it, views draw it.
public struct ExplorerState: Sendable {
    public var width: Int
    public var height: Int
    public let model: ModelSummary
    /// The model's tokens, for showing any token id and resolving `:answer`.
    public let vocabulary: TokenVocabulary

    // The prompt and its run
    public var prompt: String
    public var prependBOS: Bool
    /// The newest generation asked for; `run` may still be an older one while it computes.
    public var generation = 0
    public var run: RunSnapshot?
    /// Why the newest prompt could not run, if it could not.
    public var runError: String?
    public var runPending: Bool { generation > 0 && run?.generation != generation && runError == nil }
    public var corruptedPending: Bool {
        corruptedPrompt != nil && corruptedRun?.generation != generation && corruptedError == nil
    }

    // Where the user is
    public var page: Page = .atlas
    public var focus: Pane = .main
    public var navigator = NavigatorState()
    public var jumpList: [Page] = []
    public var mode: InputMode = .normal
    /// A count typed before a movement key (5j).
    public var count: Int?
    public var message: StatusMessage?
    public var commandHistory: [String] = []
    public var promptHistory: [String] = []

    // Page cursors and choices
    public var metric: HeadMetric = .induction
    public var atlas = AtlasState()
    public var layerPage = LayerPageState()
    public var headPage = HeadPageState()
    public var neuronsPage = NeuronsPageState()
    public var neuronPage = NeuronPageState()
    public var lensPage = LensPageState()
    public var logitsPage = LogitsPageState()
    public var attributionPage = AttributionPageState()
    public var embedPage = ListPageState()
    public var finalNormPage = ListPageState()
    /// The answer token (nil: the model's top prediction) and an optional wrong token.
    public var answer: Int?
    /// Ablations made from the atlas, head and neuron pages; the enabled ones shape every run.
    public var ablations: [Ablation] = []
    public var ablationsPage = ListPageState()
    public var wrong: Int?

    // The corrupted prompt: activation patching and the clean / corrupted compare
    /// The second prompt (nil: none yet); it runs with every generation, beside the clean one.
    public var corruptedPrompt: String?
    public var corruptedRun: RunSnapshot?
    /// Why the newest corrupted prompt could not run, if it could not.
    public var corruptedError: String?
    /// Results computed on the corrupted run (the compare views' own cache).
    public var corruptedResults = AnalysisStore()
    /// Whether the prompt editor edits the corrupted prompt.
    public var editingCorrupted = false
    /// Which run the attention-head and lens pages show.
    public var compare: CompareMode = .clean
    public var patchingPage = PatchingPageState()

    // Presentation
    /// The projector layout: no navigator, larger heatmap cells, bold padded labels.
    public var presenting = false
    /// The theme being drawn with, and the names `:theme` completes.
    public var themeName = Theme.dark.name
    public var themeNames: [String] = []

    // Story pages
    /// What the model opens on (`mechscope_story`), and what the Fourier page runs.
    public var story: ModelStory = .atlas
    /// A toy superposition model's features (nil for a transformer).
    public var featureMap: FeatureMap?
    public var fourierPage = FourierPageState()
    public var featuresPage = ListPageState()

    // Derived data and compute status
    public var results = AnalysisStore()
    public var spinnerFrame = 0
    /// Milliseconds the last finished compute took, and what it was.
    public var lastCompute: (label: String, milliseconds: Double)?
    public var residentBytes: Int?

    public init(width: Int, height: Int, model: ModelSummary, vocabulary: TokenVocabulary, prompt: String,
                prependBOS: Bool) {
        self.width = width
        self.vocabulary = vocabulary
        self.height = height
        self.model = model
        self.prompt = prompt
        self.prependBOS = prependBOS
        navigator = NavigatorState(model: model)
        metric = HeadMetric.applicable(to: model).first ?? .induction
    }

    /// The answer in force: the one chosen, else the model's top next token.
    public var effectiveAnswer: Int? { answer ?? run?.topNext.first?.tokenID }

    /// The logit target for attribution views, when there is an answer.
    public var logitTarget: LogitTarget? { effectiveAnswer.map { LogitTarget(answer: $0, wrong: wrong) } }

    /// The keymap context keys are looked up in.
    public var keyContext: KeyContext {
        switch mode {
        case .prompt, .command: return .lineEditor
        case .help: return .help
        case .normal:
            // A page that does not apply handles no keys of its own: only the global ones are in force (and hinted).
            if focus == .navigator { return .navigator }
            return page.inapplicability(to: model) == nil ? page.context : .global
        }
    }

    /// The smallest terminal the explorer draws in.
    public static let minimumWidth = 50
    public static let minimumHeight = 12
    public var isTooSmall: Bool { width < Self.minimumWidth || height < Self.minimumHeight }

    /// The layout: title row, navigator and main view, status row.
    public var layout: Layout {
        Layout(width: width, height: height, showNavigator: width >= 70 && !presenting && !model.isToy, padded: presenting)
    }

    /// How many columns a heatmap cell takes: 1, or 2–3 in the presentation layout when there is room.
    public func heatCellWidth(columns: Int, available: Int) -> Int {
        guard presenting, columns > 0 else { return 1 }
        return max(1, min(3, available / columns))
    }

    public struct Layout: Equatable, Sendable {
        public let title: Rect
        public let navigator: Rect
        public let main: Rect
        public let status: Rect

        /// `padded`: the presentation layout's margins, a blank row under the title and a column each side.
        public init(width: Int, height: Int, showNavigator: Bool, padded: Bool = false) {
            title = Rect(x: 0, y: 0, width: width, height: 1)
            status = Rect(x: 0, y: height - 1, width: width, height: 1)
            if padded {
                navigator = Rect(x: 0, y: 1, width: 0, height: height - 2)
                main = Rect(x: 1, y: 2, width: width - 2, height: height - 3)
                return
            }
            let navWidth = showNavigator ? min(24, max(16, width / 6)) : 0
            navigator = Rect(x: 0, y: 1, width: navWidth, height: height - 2)
            main = Rect(x: navWidth == 0 ? 0 : navWidth + 1, y: 1, width: width - (navWidth == 0 ? 0 : navWidth + 1),
                        height: height - 2)
        }
    }
}

import MechAnalysis

/// The corrupted prompt beside the clean one: editing and setting it, the compare views that show
/// its run in place of the clean one, and `:ablate`. Every change starts a new generation, so both
/// prompts rerun together and results of the old pair are dropped.
extension Explorer {
    /// `P`: the prompt editor on the corrupted prompt (starting from the clean one when there is none).
    mutating func editCorruptedPrompt() -> [Effect] {
        state.editingCorrupted = true
        state.mode = .prompt(LineEditor(state.corruptedPrompt ?? state.prompt, history: state.promptHistory))
        return [.redraw([.main, .status])]
    }

    /// Sets the corrupted prompt (nil clears it) and reruns both prompts.
    mutating func setCorruptedPrompt(_ text: String?) -> [Effect] {
        state.corruptedPrompt = text
        state.corruptedRun = nil
        state.corruptedResults = AnalysisStore()
        if let text {
            if state.promptHistory.last != text { state.promptHistory.append(text) }
            state.message = StatusMessage("corrupted prompt set: :patch patches between the two, c compares on a head or the lens")
        } else {
            state.compare = .clean
            state.message = StatusMessage("corrupted prompt cleared")
        }
        return submitPrompt(state.prompt, prependBOS: state.prependBOS) + [.redraw(Region.all)]
    }

    /// `c` on the attention-head and lens pages: clean → corrupted → difference → clean.
    mutating func cycleCompare() -> [Effect] {
        guard state.corruptedPrompt != nil else {
            state.message = StatusMessage("no corrupted prompt to compare with: P edits one, :corrupt TEXT sets it", isError: true)
            return [.redraw([.status])]
        }
        guard state.currentCorruptedRun != nil else {
            state.message = StatusMessage(state.corruptedError.map { "the corrupted prompt cannot run: \($0)" }
                                          ?? "the corrupted prompt is still running", isError: state.corruptedError != nil)
            return [.redraw([.status])]
        }
        let differenceAllowed = state.page == .lens ? state.effectiveAnswer != nil : true
        switch state.compare {
        case .clean: state.compare = .corrupted
        case .corrupted:
            if let mismatch = state.lengthMismatch {
                state.compare = .clean
                state.message = StatusMessage("no difference view: the clean prompt is \(mismatch.clean) tokens and the "
                                              + "corrupted \(mismatch.corrupted)", isError: true)
                return [.redraw(Region.all)]
            }
            state.compare = differenceAllowed ? .difference : .clean
        case .difference: state.compare = .clean
        }
        state.message = StatusMessage(["clean": "showing the clean run", "corrupted": "showing the corrupted run",
                                       "difference": "showing corrupted − clean"][state.compare.rawValue] ?? "")
        return [.redraw(Region.all)]
    }

    /// `:ablate L1H3 [zero|mean]`: adds (or switches to `kind`) one ablation and reruns.
    mutating func addAblation(_ target: Ablation.Target, _ kind: Ablation.Kind) -> [Effect] {
        let m = state.model
        var problem: String?
        switch target {
        case .head(let l, let h):
            problem = l >= m.layers ? "layer \(l) does not exist (layers 0–\(m.layers - 1))"
                : h >= m.heads ? "head \(h) does not exist (heads 0–\(m.heads - 1))" : nil
        case .neuron(let l, let n):
            problem = !m.hasMLP ? "\(m.name) is attention-only: it has no MLP neurons"
                : l >= m.layers ? "layer \(l) does not exist (layers 0–\(m.layers - 1))"
                : n >= m.dMLP ? "neuron \(n) does not exist (neurons 0–\(m.dMLP - 1))" : nil
        }
        if let reason = Page.ablations.inapplicability(to: m) { problem = reason }
        if let problem {
            state.message = StatusMessage(":ablate \(target.name): \(problem)", isError: true)
            return [.redraw([.status])]
        }
        if let i = state.ablations.firstIndex(where: { $0.target == target }) {
            state.ablations[i] = Ablation(target, kind)
        } else {
            state.ablations.append(Ablation(target, kind))
        }
        state.message = StatusMessage(Ablation(target, kind).label + " (A lists ablations)")
        return submitPrompt(state.prompt, prependBOS: state.prependBOS) + [.redraw(Region.all)]
    }
}

extension ExplorerState {
    /// The clean run, when it belongs to the newest generation.
    public var currentRun: RunSnapshot? { run.flatMap { $0.generation == generation ? $0 : nil } }

    /// The corrupted run, when it belongs to the newest generation.
    public var currentCorruptedRun: RunSnapshot? { corruptedRun.flatMap { $0.generation == generation ? $0 : nil } }

    /// The two token counts when the current clean and corrupted runs differ in length.
    public var lengthMismatch: (clean: Int, corrupted: Int)? {
        guard let clean = currentRun, let corrupted = currentCorruptedRun, clean.count != corrupted.count else { return nil }
        return (clean.count, corrupted.count)
    }

    /// Whether the page draws the corrupted run in place of the clean one.
    public var showsCorrupted: Bool {
        guard compare == .corrupted, currentCorruptedRun != nil else { return false }
        switch page {
        case .head, .lens: return true
        default: return false
        }
    }

    /// Whether the attention-head page draws corrupted − clean (the lens: the answer's probability).
    public var showsDifference: Bool {
        guard compare == .difference, currentCorruptedRun != nil, lengthMismatch == nil else { return false }
        switch page {
        case .head, .lens: return true
        default: return false
        }
    }

    /// The state the page reads: as it is, or with the corrupted run and its results in place of
    /// the clean ones (the answer stays the clean run's, cursors stay inside the corrupted tokens).
    public var displayed: ExplorerState {
        guard showsCorrupted, let corrupted = corruptedRun else { return self }
        var s = self
        s.answer = effectiveAnswer
        s.run = corrupted
        s.results = corruptedResults
        s.clampPositionCursors()
        return s
    }

    /// Takes the cursors a page moved on the displayed state.
    mutating func adoptCursors(from shown: ExplorerState) {
        page = shown.page              // `]` on a head replaces the page before going there
        headPage = shown.headPage
        lensPage = shown.lensPage
        atlas = shown.atlas
    }

    /// Keeps position cursors inside the run's tokens.
    mutating func clampPositionCursors() {
        guard let n = run?.count, n > 0 else { return }
        headPage.query = min(headPage.query, n - 1)
        headPage.key = min(headPage.key, headPage.query)
        if let p = neuronsPage.position, p >= n { neuronsPage.position = nil }
        if let p = lensPage.position, p >= n { lensPage.position = nil }
        lensPage.firstColumn = min(lensPage.firstColumn, n - 1)
    }

    /// Runs `body` on the store a request's results live in (the corrupted run's for `.onCorrupted`),
    /// with the request as that store keys it.
    mutating func withStore<T>(for request: AnalysisRequest, _ body: (inout AnalysisStore, AnalysisRequest) -> T) -> T {
        let (inner, corrupted) = request.unwrapped
        return corrupted ? body(&corruptedResults, inner) : body(&results, inner)
    }
}

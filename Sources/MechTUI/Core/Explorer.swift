import Foundation

/// The explorer's pure core: the state, and a reducer that turns each input event or compute
/// output into a new state and the effects to run. No terminal, no threads, no files: the runtime
/// (ncurses or headless) carries out the effects.
public struct Explorer: Sendable {
    public internal(set) var state: ExplorerState
    public let keymap: Keymap
    public var vocabulary: TokenVocabulary { state.vocabulary }

    public init(state: ExplorerState, keymap: Keymap = .standard) {
        self.state = state
        self.keymap = keymap
    }

    /// The effects that start the explorer: run the first prompt.
    public mutating func start() -> [Effect] {
        state.navigator.reveal(state.page)
        if state.model.isToy { return [.redraw(Region.all)] }     // a toy model has no prompt to run
        return submitPrompt(state.prompt, prependBOS: state.prependBOS) + [.redraw(Region.all)]
    }

    // MARK: - Input

    public mutating func handle(_ event: InputEvent) -> [Effect] {
        switch event {
        case .resize(let w, let h):
            state.width = max(1, w)
            state.height = max(1, h)
            return [.redraw(Region.all)] + requestsForVisible()
        case .tick:
            guard !state.results.pending.isEmpty || state.runPending || state.corruptedPending
                    || !state.corruptedResults.pending.isEmpty else { return [] }
            state.spinnerFrame += 1
            return [.redraw([.main, .status])]      // spinners turn in the status line and in the view that waits
        case .key(let key):
            let hadMessage = state.message != nil
            state.message = nil
            var effects = handleKey(key)
            if hadMessage { effects.append(.redraw([.status])) }
            return effects + requestsForVisible()
        }
    }

    private mutating func handleKey(_ key: Key) -> [Effect] {
        switch state.mode {
        case .prompt(var editor):
            return handleLine(key, &editor, isPrompt: true)
        case .command(var editor):
            return handleLine(key, &editor, isPrompt: false)
        case .help(let scroll):
            guard let action = keymap.action(for: key, in: .help) else { return [] }
            switch action {
            case .moveDown: state.mode = .help(scroll: scroll + 1)
            case .moveUp: state.mode = .help(scroll: max(0, scroll - 1))
            case .pageDown: state.mode = .help(scroll: scroll + max(1, state.layout.main.height - 3))
            case .pageUp: state.mode = .help(scroll: max(0, scroll - max(1, state.layout.main.height - 3)))
            default: state.mode = .normal
            }
            return [.redraw([.main, .status])]
        case .normal:
            if case .char(let c) = key, let digit = c.wholeNumberValue, digit > 0 || state.count != nil {
                state.count = min(9999, (state.count ?? 0) * 10 + digit)
                return [.redraw([.status])]
            }
            let count = max(1, state.count ?? 1)
            state.count = nil
            guard let action = keymap.action(for: key, in: state.keyContext) else {
                return [.redraw([.status])]
            }
            return perform(action, count: count)
        }
    }

    /// Carries out one action in normal mode.
    public mutating func perform(_ action: Action, count: Int = 1) -> [Effect] {
        switch action {
        case .quit: return [.quit]
        case .help:
            state.mode = .help(scroll: 0)
            return [.redraw([.main, .status])]
        case .commandLine:
            state.mode = .command(LineEditor("", history: state.commandHistory))
            return [.redraw([.status])]
        case .editPrompt:
            if let refusal = noPrompt() { return refusal }
            state.editingCorrupted = false
            state.mode = .prompt(LineEditor(state.prompt, history: state.promptHistory))
            return [.redraw([.main, .status])]
        case .switchPane:
            guard state.layout.navigator.width > 0 else { return [] }
            if state.focus == .navigator { return go(to: state.page) }     // the previewed page stays open
            state.focus = .navigator
            return [.redraw([.navigator, .main, .status])]
        case .back, .jumpBack:
            if state.focus == .navigator, action == .back { return go(to: state.page) }
            state.navigator.previewedFrom = nil
            guard let previous = state.jumpList.popLast() else {
                state.message = StatusMessage("the jump list is empty")
                return [.redraw([.status])]
            }
            state.page = previous
            state.navigator.reveal(previous)
            return [.redraw(Region.all)]
        case .toggleBOS:
            if !state.prependBOS, state.model.bosToken == nil {
                state.message = StatusMessage("\(state.model.name) has no BOS token (no bos_token_id), so none can go first", isError: true)
                return [.redraw([.status])]
            }
            return submitPrompt(state.prompt, prependBOS: !state.prependBOS)
        case .show(let kind):
            return go(to: page(for: kind))
        case .zeroAblate, .meanAblate:
            guard state.focus == .main else { break }
            return ablateUnderCursor(action == .zeroAblate ? .zero : .mean)
        case .clearAblations:
            return clearAblations()
        case .toggleAblation:
            return toggleAblation(at: state.ablationsPage.row)
        case .editCorruptedPrompt:
            return editCorruptedPrompt()
        case .cycleCompare where state.focus == .main:
            return cycleCompare()
        default:
            break
        }
        if state.focus == .navigator { return navigatorAction(action, count: count) }
        let view = PageViews.view(for: state.page, model: state.model)
        if state.showsCorrupted {       // the page moves its cursors over the corrupted run it shows
            var shown = state.displayed
            let outcome = view.handle(action, count: count, state: &shown)
            state.adoptCursors(from: shown)
            return outcome.map { apply($0) } ?? []
        }
        if let outcome = view.handle(action, count: count, state: &state) { return apply(outcome) }
        return []
    }

    private func page(for kind: PageKind) -> Page {
        let layer = state.page.layer ?? state.atlas.layer
        switch kind {
        case .atlas: return .atlas
        case .lens: return .lens
        case .logits: return .logits
        case .attribution: return .attribution
        case .embed: return .embed
        case .ablations: return .ablations
        case .patching: return .patching
        case .layer: return .layer(layer)
        case .neurons: return .neurons(layer: layer)
        }
    }

    /// Goes to `page`, remembering the current one in the jump list: every way of opening a page
    /// (keys, `:` commands, the navigator) comes through here. A page the navigator only previewed
    /// is not remembered; the page open before the preview is.
    public mutating func go(to page: Page) -> [Effect] {
        if let message = invalidPage(page) {
            state.message = StatusMessage(message, isError: true)
            return [.redraw([.status])]
        }
        let from = state.navigator.previewedFrom ?? state.page
        state.navigator.previewedFrom = nil
        if page != from {
            state.jumpList.append(from)
            if state.jumpList.count > 100 { state.jumpList.removeFirst() }
        }
        state.page = page
        state.focus = .main
        switch page {
        case .head(let l, let h):
            state.atlas.layer = l; state.atlas.head = h
        case .layer(let l):
            state.atlas.layer = l
        default: break
        }
        state.navigator.reveal(page)
        return [.redraw(Region.all)]
    }

    /// Whether the open model can show what `command` asks for, so Tab completion offers it: no
    /// metric, page, patching or ablation the explorer would refuse or answer with "does not apply".
    func canShow(_ command: ExplorerCommand) -> Bool {
        switch command {
        case .metric(let m): return m.inapplicability(to: state.model) == nil
        case .head(let l, let h): return canShow(.page(.head(layer: l, head: h)))
        case .neuron(let l, let n): return canShow(.page(.neuron(layer: l, neuron: n)))
        case .page(let p): return invalidPage(p) == nil && p.inapplicability(to: state.model) == nil
        case .patch: return canShow(.page(.patching))
        case .ablate, .clearAblations: return canShow(.page(.ablations))
        case .answer: return tokenChoiceRefusal(":answer") == nil
        case .wrong: return tokenChoiceRefusal(":wrong") == nil
        case .corrupt: return tokenChoiceRefusal(":corrupt") == nil
        default: return true
        }
    }

    /// Why the open model has no use for an answer, a wrong token or a corrupted prompt (an encoder
    /// has no next token to score), or nil.
    private mutating func refuse(_ reason: String?) -> [Effect] {
        state.message = StatusMessage(reason ?? "", isError: true)
        return [.redraw([.status])]
    }

    private func tokenChoiceRefusal(_ command: String) -> String? {
        guard Page.logits.inapplicability(to: state.model) != nil else { return nil }
        return "\(command) needs next-token logits, and a \(state.model.modelType) encoder has no LM head"
    }

    private func invalidPage(_ page: Page) -> String? {
        let m = state.model
        if m.isToy, page != .features { return "\(m.name) is a toy superposition model: it has the features page only" }
        switch page {
        case .features where !m.isToy: return "the features page is for toy superposition models (mechscope features)"
        case .fourier:
            guard case .fourier = state.story else {
                return "\(m.name) has no Fourier story (config.json's \(ModelStory.key) names one)"
            }
        default: break
        }
        if let l = page.layer, l >= m.layers { return "layer \(l) does not exist (layers 0–\(m.layers - 1))" }
        switch page {
        case .head(_, let h) where h >= m.heads: return "head \(h) does not exist (heads 0–\(m.heads - 1))"
        case .neurons where !m.hasMLP, .neuron where !m.hasMLP: return "\(m.name) is attention-only: it has no MLP neurons"
        case .neuron(_, let n) where n >= m.dMLP: return "neuron \(n) does not exist (neurons 0–\(m.dMLP - 1))"
        default: return nil
        }
    }

    private mutating func apply(_ outcome: PageOutcome) -> [Effect] {
        switch outcome {
        case .none: return []
        case .redraw: return [.redraw([.main, .status])]
        case .go(let page): return go(to: page)
        case .setAnswer(let id):
            state.answer = id
            if state.wrong == id { state.wrong = nil }
            state.message = StatusMessage("answer: '\(vocabulary.display(id))'"
                                          + (state.wrong.map { ", wrong: '\(vocabulary.display($0))'" } ?? ""))
            return [.redraw(Region.all)]
        case .setWrong(let id):
            if let id, id == state.effectiveAnswer {
                state.message = StatusMessage("the wrong token must differ from the answer", isError: true)
                return [.redraw([.status])]
            }
            state.wrong = id
            state.message = StatusMessage(id.map { "wrong: '\(vocabulary.display($0))' (logit difference)" } ?? "wrong token cleared")
            return [.redraw(Region.all)]
        case .message(let m):
            state.message = m
            return [.redraw([.status])]
        }
    }

    // MARK: - Navigator

    private mutating func navigatorAction(_ action: Action, count: Int) -> [Effect] {
        var nav = state.navigator
        let rows = nav.rows
        let half = max(1, state.layout.navigator.height / 2)
        switch action {
        case .moveDown: nav.cursor = min(rows.count - 1, nav.cursor + count)
        case .moveUp: nav.cursor = max(0, nav.cursor - count)
        case .top: nav.cursor = 0
        case .bottom: nav.cursor = rows.count - 1
        case .halfPageDown, .pageDown: nav.cursor = min(rows.count - 1, nav.cursor + half)
        case .halfPageUp, .pageUp: nav.cursor = max(0, nav.cursor - half)
        case .moveRight:
            if case .layer(let l) = nav.currentRow { nav.expanded.insert(l) }
        case .moveLeft:
            switch nav.currentRow {
            case .layer(let l) where nav.expanded.contains(l): nav.expanded.remove(l)
            case .attention(let l), .head(let l, _), .mlp(let l):
                nav.expanded.remove(l)
                nav.cursor = nav.rows.firstIndex(of: .layer(l)) ?? 0
            default: break
            }
        case .open:
            if case .layer(let l) = nav.currentRow, !nav.expanded.contains(l) {
                nav.expanded.insert(l)
            } else {
                state.navigator = nav
                return go(to: nav.currentRow.page)
            }
        default:
            return []
        }
        state.navigator = nav
        // Moving in the navigator previews the row's page.
        let page = nav.currentRow.page
        if page != state.page, invalidPage(page) == nil {
            if state.navigator.previewedFrom == nil { state.navigator.previewedFrom = state.page }
            state.page = page
            if case .head(let l, let h) = page { state.atlas.layer = l; state.atlas.head = h }
        }
        return [.redraw([.navigator, .main, .title, .status])]
    }

    // MARK: - Line editing (prompt and command line)

    private mutating func handleLine(_ key: Key, _ editor: inout LineEditor, isPrompt: Bool) -> [Effect] {
        let action = keymap.action(for: key, in: .lineEditor)
        switch action {
        case .edit(.accept)?:
            state.mode = .normal
            if isPrompt && state.editingCorrupted {
                state.editingCorrupted = false
                guard !editor.text.isEmpty else {
                    state.message = StatusMessage("the corrupted prompt is empty: type some text (Esc keeps the old one)", isError: true)
                    return [.redraw(Region.all)]
                }
                return setCorruptedPrompt(editor.text)
            }
            if isPrompt {
                let text = editor.text
                guard !text.isEmpty else {
                    state.message = StatusMessage("the prompt is empty: type some text (Esc keeps the old one)", isError: true)
                    return [.redraw(Region.all)]
                }
                if state.promptHistory.last != text { state.promptHistory.append(text) }
                return submitPrompt(text, prependBOS: state.prependBOS) + [.redraw(Region.all)]
            }
            let line = editor.text
            if !line.isEmpty, state.commandHistory.last != line { state.commandHistory.append(line) }
            return runCommand(line) + [.redraw([.status])]
        case .edit(.cancel)?:
            state.mode = .normal
            state.editingCorrupted = false
            return [.redraw(Region.all)]
        case .edit(.complete)? where !isPrompt:
            let options = ExplorerCommand.completions(editor.text, themes: state.themeNames, model: state.model, offers: canShow)
            if options.count == 1 {
                editor.set(options[0] + " ")
            } else if let common = Self.commonPrefix(options), common.count > editor.text.count {
                editor.set(common)
            } else if !options.isEmpty {
                state.message = StatusMessage(options.joined(separator: "  "))
            }
        case .edit(let edit)?:
            editor.apply(edit)
        default:
            guard case .char(let c) = key else { return [] }
            editor.insert(c)
        }
        state.mode = isPrompt ? .prompt(editor) : .command(editor)
        return [.redraw(isPrompt ? [.main, .status] : [.status])]
    }

    static func commonPrefix(_ words: [String]) -> String? {
        guard var prefix = words.first else { return nil }
        for w in words.dropFirst() { while !w.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }

    /// Carries out a `:` command line.
    public mutating func runCommand(_ line: String) -> [Effect] {
        switch ExplorerCommand.parse(line) {
        case .failure(.badArgument("metric", let argument, _)):
            // Name only the metrics this model can show (an encoder has three of the seven).
            let names = HeadMetric.applicable(to: state.model).map(\.rawValue).joined(separator: ", ")
            let error = CommandError.badArgument(command: "metric", argument: argument, expected: names)
            state.message = StatusMessage(error.description, isError: true)
            return []
        case .failure(let error):
            state.message = StatusMessage(error.description, isError: true)
            return []
        case .success(let command):
            switch command {
            case .head(let l, let h): return go(to: .head(layer: l, head: h))
            case .neuron(let l, let n): return go(to: .neuron(layer: l, neuron: n))
            case .layer(let l): return go(to: .layer(l))
            case .neurons(let l): return go(to: .neurons(layer: l))
            case .page(let p): return go(to: p)
            case .clearAblations: return clearAblations()
            case .prompt(let text):
                if state.promptHistory.last != text { state.promptHistory.append(text) }
                return submitPrompt(text, prependBOS: state.prependBOS)
            case .answer where tokenChoiceRefusal(":answer") != nil:
                return refuse(tokenChoiceRefusal(":answer"))
            case .wrong where tokenChoiceRefusal(":wrong") != nil:
                return refuse(tokenChoiceRefusal(":wrong"))
            case .corrupt where tokenChoiceRefusal(":corrupt") != nil:
                return refuse(tokenChoiceRefusal(":corrupt"))
            case .answer(let text):
                do { return apply(.setAnswer(try vocabulary.resolve(text))) } catch {
                    state.message = StatusMessage(":answer \(error)", isError: true)
                    return []
                }
            case .wrong(let text):
                guard let text else { return apply(.setWrong(nil)) }
                do { return apply(.setWrong(try vocabulary.resolve(text))) } catch {
                    state.message = StatusMessage(":wrong \(error)", isError: true)
                    return []
                }
            case .metric(let m):
                if let reason = m.inapplicability(to: state.model) {
                    state.message = StatusMessage(reason, isError: true)
                    return [.redraw([.status])]
                }
                state.metric = m
                return go(to: .atlas)
            case .export(let path): return [.export(path: path)]
            case .bos(let on): return submitPrompt(state.prompt, prependBOS: on)
            case .theme(let name): return [.setTheme(name)]
            case .present(let on): return setPresenting(on ?? !state.presenting)
            case .help:
                state.mode = .help(scroll: 0)
                return [.redraw([.main])]
            case .quit: return [.quit]
            case .corrupt(let text): return setCorruptedPrompt(text)
            case .patch(let target):
                if let target { state.patchingPage.target = target }
                return go(to: .patching)
            case .ablate(let target, let kind): return addAblation(target, kind)
            }
        }
    }

    // MARK: - Compute

    /// Starts a new generation for `prompt`: older runs and prompt-dependent work are cancelled.
    public mutating func submitPrompt(_ prompt: String, prependBOS: Bool) -> [Effect] {
        if let refusal = noPrompt() { return refusal }
        state.generation += 1
        state.prompt = prompt
        state.prependBOS = prependBOS
        state.runError = nil
        state.corruptedError = nil
        var effects: [Effect] = [.runPrompt(generation: state.generation, prompt: prompt, prependBOS: prependBOS,
                                            ablations: state.ablations.filter(\.enabled))]
        if let corrupted = state.corruptedPrompt {
            effects.append(.runCorrupted(generation: state.generation, prompt: corrupted, prependBOS: prependBOS,
                                         ablations: state.ablations.filter(\.enabled)))
        }
        return effects + [.redraw([.title, .status])]
    }

    /// A toy model reads feature vectors, not prompts: say so instead of running one.
    private mutating func noPrompt() -> [Effect]? {
        guard state.model.isToy else { return nil }
        state.message = StatusMessage("\(state.model.name) is a toy superposition model: it reads feature vectors, "
                                      + "not prompts ('mechscope run' runs one)", isError: true)
        return [.redraw([.status])]
    }

    /// Compute effects for whatever the visible page needs and nobody has asked for yet.
    public mutating func requestsForVisible() -> [Effect] {
        guard let run = state.run, run.generation == state.generation, !state.isTooSmall else { return [] }
        var effects: [Effect] = []
        let view = PageViews.view(for: state.page, model: state.model)
        // A page showing the corrupted run asks for its results on that run.
        let visible = state.showsCorrupted ? view.requests(state.displayed).map { AnalysisRequest.onCorrupted($0) }
                                           : view.requests(state)
        for request in visible where state.withStore(for: request, { $0.needs($1) }) {
            state.withStore(for: request) { $0.markPending($1) }
            effects.append(.compute(request, generation: run.generation))
        }
        // Long work no page shows any more stops (a patching grid left half-filled starts afresh).
        for request in state.results.pending where request.isCancellable && !visible.contains(request) {
            state.results.abandon(request)
            effects.append(.cancel(request))
        }
        if !effects.isEmpty { effects.append(.redraw([.status])) }
        return effects
    }

    /// Takes in a result from the worker (dropping it when it belongs to an older prompt).
    public mutating func receive(_ output: ComputeOutput) -> [Effect] {
        switch output {
        case .ran(let generation, let result):
            guard generation == state.generation else { return [] }
            switch result {
            case .success(let snapshot):
                // Head cursors start at the prediction, and stay there when the prompt changes.
                if state.run.map({ state.headPage.query == $0.count - 1 }) ?? true {
                    state.headPage.query = snapshot.count - 1
                }
                state.run = snapshot
                state.results.dropPromptDependent()
                clampCursors()
                state.lastCompute = ("forward pass", snapshot.milliseconds)
            case .failure(let failure):
                guard !failure.cancelled else { return [] }
                state.runError = failure.message
                state.message = StatusMessage(failure.message, isError: true)
            }
            return [.redraw(Region.all)] + requestsForVisible()
        case .progress(let request, let generation, let value):
            guard !request.dependsOnPrompt || generation == state.generation else { return [] }
            // Progress of work the core stopped asking for (a cancelled patching grid) is dropped.
            guard state.withStore(for: request, { store, key in
                guard store.isPending(key) else { return false }
                store.progress(key, value)
                return true
            }) else { return [] }
            return [.redraw(request.isCancellable ? [.main, .status] : [.main])]
        case .finished(let request, let generation, let result, let ms):
            guard !request.dependsOnPrompt || generation == state.generation else { return [] }
            switch result {
            case .success(let value):
                state.withStore(for: request) { $0.finish($1, value) }
                state.lastCompute = (request.label, ms)
            case .failure(let failure):
                state.withStore(for: request) { store, key in
                    if failure.cancelled { store.cancel(key) } else { store.fail(key, failure.message) }
                }
            }
            return [.redraw([.main, .status])] + requestsForVisible()
        case .ranCorrupted(let generation, let result):
            guard generation == state.generation else { return [] }
            switch result {
            case .success(let snapshot):
                state.corruptedRun = snapshot
                state.corruptedResults.dropPromptDependent()
            case .failure(let failure):
                guard !failure.cancelled else { return [] }
                state.corruptedError = failure.message
                state.message = StatusMessage("corrupted prompt: " + failure.message, isError: true)
            }
            return [.redraw(Region.all)] + requestsForVisible()
        }
    }

    /// Keeps position cursors inside a new, possibly shorter, prompt.
    private mutating func clampCursors() {
        guard let n = state.run?.count, n > 0 else { return }
        state.headPage.query = min(state.headPage.query, n - 1)
        state.headPage.key = min(state.headPage.key, state.headPage.query)
        if let p = state.neuronsPage.position, p >= n { state.neuronsPage.position = nil }
        if let p = state.lensPage.position, p >= n { state.lensPage.position = nil }
        state.lensPage.firstColumn = min(state.lensPage.firstColumn, n - 1)
    }

    /// Shows a message from the runtime (an export's outcome) until the next key.
    public mutating func notify(_ message: StatusMessage) -> [Effect] {
        state.message = message
        return [.redraw([.status])]
    }

    /// Turns the presentation layout on or off (`:present`, `--present`).
    public mutating func setPresenting(_ on: Bool) -> [Effect] {
        state.presenting = on
        if on, state.focus == .navigator { _ = go(to: state.page) }     // the navigator hides: its preview stays open
        state.message = StatusMessage(on ? "presentation layout: :present again returns" : "presentation layout off")
        return [.redraw(Region.all)] + requestsForVisible()
    }

    /// The runtime switched themes (`:theme`): say so, with the file's first warning if it had any.
    public mutating func themeChanged(to name: String, warnings: [String]) -> [Effect] {
        state.themeName = name
        state.message = warnings.first.map { StatusMessage("theme \(name): \($0)", isError: true) }
            ?? StatusMessage("theme \(name)")
        return [.redraw(Region.all)]
    }

    /// Records the process's resident memory for the status line (the runtime measures it).
    public mutating func observe(residentBytes: Int?) { state.residentBytes = residentBytes }
}

/// One row of the keymap: keys, where they apply, what they do, and how help and hints describe it.
public struct KeyBinding: Equatable, Sendable {
    public let keys: [Key]
    public let context: KeyContext
    public let action: Action
    public let help: String
    /// Shown in the status line's hints for its context.
    public let hint: Bool

    public init(_ keys: [Key], _ context: KeyContext, _ action: Action, _ help: String, hint: Bool = false) {
        self.keys = keys
        self.context = context
        self.action = action
        self.help = help
        self.hint = hint
    }

    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// The one table that drives input, the `?` help and the status-line hints, so help can never
/// drift from behaviour. Page bindings come before global ones: a page may give a key its own
/// meaning (Enter opens what is under the cursor).
public struct Keymap: Sendable {
    public let bindings: [KeyBinding]

    public init(_ bindings: [KeyBinding]) { self.bindings = bindings }

    /// The action of `key` in `context` (then the navigator or global bindings), if any.
    public func action(for key: Key, in context: KeyContext) -> Action? {
        let order: [KeyContext] = context == .lineEditor || context == .help ? [context] : [context, .global]
        for c in order {
            if let b = bindings.first(where: { $0.context == c && $0.keys.contains(key) }) { return b.action }
        }
        return nil
    }

    /// The keys of `action` in `context`, as help shows them ("J"), for views that name a key.
    public func keyLabel(for action: Action, in context: KeyContext) -> String? {
        bindings.first { $0.context == context && $0.action == action }?.keyLabel
    }

    /// The bindings of one context, in table order.
    public func bindings(in context: KeyContext) -> [KeyBinding] { bindings.filter { $0.context == context } }

    /// The bindings in force in a context: the context's own, then the global ones (never for the line
    /// editor or help) with every key the context binds itself left out, so that a key a view
    /// overrides appears once, with the view's meaning.
    public func effectiveBindings(in context: KeyContext) -> [KeyBinding] {
        let own = bindings(in: context)
        guard context != .global, context != .lineEditor, context != .help else { return own }
        let claimed = Set(own.flatMap(\.keys))
        return own + bindings(in: .global).compactMap { b in
            let keys = b.keys.filter { !claimed.contains($0) }
            return keys.isEmpty ? nil : KeyBinding(keys, .global, b.action, b.help, hint: b.hint)
        }
    }

    /// "key action" hints for the status line: the context's own, then the global ones still in force.
    public func hints(for context: KeyContext, excluding excluded: Set<Action> = []) -> [String] {
        effectiveBindings(in: context)
            .filter { $0.hint && !excluded.contains($0.action) }.map { "\($0.keyLabel) \(Self.hintText($0.help))" }
    }

    /// The help text as a hint: what comes before a parenthesis or a ": " ("zero-ablate the head
    /// (again: remove)" → "zero-ablate the head", "command line (:head L1H3, …)" → "command line").
    static func hintText(_ help: String) -> String {
        var text = Substring(help)
        for cut in [" (", ": "] {
            if let r = text.range(of: cut) { text = text[..<r.lowerBound] }
        }
        return String(text)
    }

    static let movement: [KeyBinding] = []

    /// The explorer's keymap.
    public static let standard = Keymap([
        // Everywhere
        KeyBinding([.char("?"), .function(1)], .global, .help, "help: every key of this view", hint: true),
        KeyBinding([.char(":")], .global, .commandLine, "command line (:head L1H3, :lens, :q …)", hint: true),
        KeyBinding([.char("p")], .global, .editPrompt, "edit the prompt", hint: true),
        KeyBinding([.char("q"), .ctrl("c")], .global, .quit, "quit", hint: true),
        KeyBinding([.tab], .global, .switchPane, "switch between navigator and view"),
        KeyBinding([.escape, .backspace], .global, .back, "back to the previous view"),
        KeyBinding([.ctrl("o")], .global, .jumpBack, "jump back (jump list)"),
        KeyBinding([.char("a")], .global, .show(.atlas), "head atlas"),
        KeyBinding([.char("r")], .global, .show(.lens), "residual stream / logit lens"),
        KeyBinding([.char("t")], .global, .show(.logits), "next-token top-k (choose the answer)"),
        KeyBinding([.char("d")], .global, .show(.attribution), "direct logit attribution to the answer"),
        KeyBinding([.char("n")], .global, .show(.neurons), "MLP neurons of the current layer"),
        KeyBinding([.char("H")], .global, .show(.layer), "all heads of the current layer"),
        KeyBinding([.char("e")], .global, .show(.embed), "tokens and embeddings"),
        KeyBinding([.char("B")], .global, .toggleBOS, "toggle the BOS token and recompute"),
        KeyBinding([.char("A")], .global, .show(.ablations), "the active ablations (toggle, clear)"),
        KeyBinding([.char("k"), .up], .global, .moveUp, "up (a count repeats: 5k)"),
        KeyBinding([.char("j"), .down], .global, .moveDown, "down (5j)"),
        KeyBinding([.char("h"), .left], .global, .moveLeft, "left"),
        KeyBinding([.char("l"), .right], .global, .moveRight, "right"),
        KeyBinding([.char("g"), .home], .global, .top, "first row"),
        KeyBinding([.char("G"), .end], .global, .bottom, "last row"),
        KeyBinding([.ctrl("d")], .global, .halfPageDown, "half a page down"),
        KeyBinding([.ctrl("u")], .global, .halfPageUp, "half a page up"),
        KeyBinding([.pageDown, .ctrl("f")], .global, .pageDown, "a page down"),
        KeyBinding([.pageUp, .ctrl("b")], .global, .pageUp, "a page up"),
        KeyBinding([.enter], .global, .open, "open what is under the cursor", hint: true),

        // Navigator
        KeyBinding([.char("l"), .right], .navigator, .moveRight, "expand a layer"),
        KeyBinding([.char("h"), .left], .navigator, .moveLeft, "collapse a layer (or go to its parent)"),
        KeyBinding([.enter], .navigator, .open, "open the row in the view", hint: true),

        // Head atlas
        KeyBinding([.char("m")], .atlas, .nextMetric, "next metric", hint: true),
        KeyBinding([.char("M")], .atlas, .previousMetric, "previous metric"),
        KeyBinding([.enter], .atlas, .open, "open the head", hint: true),
        KeyBinding([.char("x")], .atlas, .zeroAblate, "zero-ablate the head (again: remove)", hint: true),
        KeyBinding([.char("X")], .atlas, .meanAblate, "mean-ablate the head (mean over the prompt)"),

        // Layer heads
        KeyBinding([.enter], .layer, .open, "open the head", hint: true),
        KeyBinding([.char("s")], .layer, .toggleScores, "patterns / pre-softmax scores", hint: true),
        KeyBinding([.char("]")], .layer, .nextHead, "next layer"),
        KeyBinding([.char("[")], .layer, .previousHead, "previous layer"),
        KeyBinding([.char("x")], .layer, .zeroAblate, "zero-ablate the head (again: remove)", hint: true),
        KeyBinding([.char("X")], .layer, .meanAblate, "mean-ablate the head (mean over the prompt)"),

        // Attention head
        KeyBinding([.char("s")], .head, .toggleScores, "pattern / pre-softmax scores", hint: true),
        KeyBinding([.char("z")], .head, .toggleZoom, "zoom out (two rows a line) / in", hint: true),
        KeyBinding([.char("]")], .head, .nextHead, "next head", hint: true),
        KeyBinding([.char("[")], .head, .previousHead, "previous head"),
        KeyBinding([.char("J")], .head, .summaryDown, "page the summary down (the head's scores, circuits, compositions)", hint: true),
        KeyBinding([.char("K")], .head, .summaryUp, "page the summary up"),
        KeyBinding([.char("x")], .head, .zeroAblate, "zero-ablate this head (again: remove)", hint: true),
        KeyBinding([.char("X")], .head, .meanAblate, "mean-ablate this head (mean over the prompt)"),
        KeyBinding([.enter], .head, .open, "pin the cursor's key token for OV/QK (again: follow the top key)"),

        // MLP neurons
        KeyBinding([.char("s")], .neurons, .cycleNeuronRanking, "rank by activation here / max over prompt / DLA", hint: true),
        KeyBinding([.enter], .neurons, .open, "open the neuron", hint: true),
        KeyBinding([.char("x")], .neurons, .zeroAblate, "zero-ablate the neuron (again: remove)"),
        KeyBinding([.char("X")], .neurons, .meanAblate, "mean-ablate the neuron (mean over the prompt)"),
        KeyBinding([.char("h"), .left], .neurons, .moveLeft, "previous token (the position ranked at)"),
        KeyBinding([.char("l"), .right], .neurons, .moveRight, "next token", hint: true),
        KeyBinding([.char("]")], .neurons, .nextHead, "next layer's neurons"),
        KeyBinding([.char("[")], .neurons, .previousHead, "previous layer's neurons"),

        // Neuron
        KeyBinding([.char("]")], .neuron, .nextHead, "next neuron", hint: true),
        KeyBinding([.char("[")], .neuron, .previousHead, "previous neuron"),
        KeyBinding([.char("j"), .down], .neuron, .moveDown, "next token in the activation list"),
        KeyBinding([.char("k"), .up], .neuron, .moveUp, "previous token in the activation list"),
        KeyBinding([.enter], .neuron, .open, "the layer's neuron list"),
        KeyBinding([.char("x")], .neuron, .zeroAblate, "zero-ablate this neuron (again: remove)", hint: true),
        KeyBinding([.char("X")], .neuron, .meanAblate, "mean-ablate this neuron (mean over the prompt)"),

        // Lens
        KeyBinding([.enter], .lens, .setAnswer, "make the cell's top token the answer", hint: true),
        KeyBinding([.char("h"), .left], .lens, .moveLeft, "previous position (scrolls)"),
        KeyBinding([.char("l"), .right], .lens, .moveRight, "next position (scrolls)"),
        KeyBinding([.char("k"), .up], .lens, .moveUp, "earlier layer"),
        KeyBinding([.char("j"), .down], .lens, .moveDown, "later layer"),
        KeyBinding([.pageDown, .ctrl("f")], .lens, .pageDown, "a screen of positions right"),
        KeyBinding([.pageUp, .ctrl("b")], .lens, .pageUp, "a screen of positions left"),

        // Next token
        KeyBinding([.enter], .logits, .setAnswer, "make the token the answer", hint: true),
        KeyBinding([.char("w")], .logits, .setWrong, "make the token the wrong token (logit difference)", hint: true),
        KeyBinding([.char("W")], .logits, .clearWrong, "clear the wrong token"),

        // Attribution
        KeyBinding([.char("s")], .attribution, .cycleAttributionUnit, "per component / per head", hint: true),
        KeyBinding([.char("o")], .attribution, .toggleOrder, "sorted by |attribution| / model order", hint: true),
        KeyBinding([.enter], .attribution, .open, "open the head, layer, neurons or embeddings", hint: true),

        // Embedding and final norm
        KeyBinding([.enter], .embed, .open, "the logit lens at this position", hint: true),
        KeyBinding([.enter], .finalNorm, .open, "the logit lens at this position", hint: true),

        // Ablations
        KeyBinding([.enter, .char(" "), .char("x")], .ablations, .toggleAblation, "turn the ablation on / off", hint: true),
        KeyBinding([.char("c")], .ablations, .clearAblations, "clear every ablation", hint: true),

        // Two prompts: the corrupted prompt, activation patching, clean / corrupted compare
        KeyBinding([.char("P")], .global, .editCorruptedPrompt, "edit the corrupted prompt (for patching and compare)"),
        KeyBinding([.char("C")], .global, .show(.patching), "activation patching between the clean and corrupted prompts"),
        KeyBinding([.char("c")], .head, .cycleCompare, "clean / corrupted / corrupted − clean pattern", hint: true),
        KeyBinding([.char("c")], .lens, .cycleCompare, "clean / corrupted run / Δ p(answer) corrupted − clean", hint: true),
        KeyBinding([.char("s")], .patching, .cyclePatchingGrid, "next grid: resid_pre, attn_out, mlp_out, heads", hint: true),
        KeyBinding([.enter], .patching, .open, "open the layer (position grids) or the head (head grid)", hint: true),
        // Fourier (modular addition)
        KeyBinding([.char("]")], .fourier, .nextHead, "next neuron in the heatmap", hint: true),
        KeyBinding([.char("[")], .fourier, .previousHead, "previous neuron"),
        KeyBinding([.enter], .fourier, .open, "open the neuron's page", hint: true),

        // Features (toy superposition model)
        KeyBinding([.char("j"), .down], .features, .moveDown, "next feature (its row and column in WᵀW)", hint: true),
        KeyBinding([.char("k"), .up], .features, .moveUp, "previous feature"),

        // Help
        KeyBinding([.char("q"), .escape, .char("?")], .help, .back, "close help"),
        KeyBinding([.char("j"), .down], .help, .moveDown, "scroll down"),
        KeyBinding([.char("k"), .up], .help, .moveUp, "scroll up"),
        KeyBinding([.ctrl("d"), .pageDown, .char(" ")], .help, .pageDown, "a page down"),
        KeyBinding([.ctrl("u"), .pageUp], .help, .pageUp, "a page up"),

        // Prompt and command line
        KeyBinding([.enter], .lineEditor, .edit(.accept), "run it", hint: true),
        KeyBinding([.escape, .ctrl("c")], .lineEditor, .edit(.cancel), "cancel", hint: true),
        KeyBinding([.left, .ctrl("b")], .lineEditor, .edit(.left), "character left"),
        KeyBinding([.right, .ctrl("f")], .lineEditor, .edit(.right), "character right"),
        KeyBinding([.home, .ctrl("a")], .lineEditor, .edit(.start), "start of line"),
        KeyBinding([.end, .ctrl("e")], .lineEditor, .edit(.end), "end of line"),
        KeyBinding([.backspace, .ctrl("h")], .lineEditor, .edit(.deleteBackward), "delete before the cursor"),
        KeyBinding([.delete, .ctrl("d")], .lineEditor, .edit(.deleteForward), "delete under the cursor"),
        KeyBinding([.ctrl("w")], .lineEditor, .edit(.deleteWordBackward), "delete the word before the cursor"),
        KeyBinding([.ctrl("u")], .lineEditor, .edit(.deleteToStart), "delete to the start"),
        KeyBinding([.ctrl("k")], .lineEditor, .edit(.deleteToEnd), "delete to the end"),
        KeyBinding([.up, .ctrl("p")], .lineEditor, .edit(.historyPrevious), "previous entry in history", hint: true),
        KeyBinding([.down, .ctrl("n")], .lineEditor, .edit(.historyNext), "next entry in history"),
        KeyBinding([.tab], .lineEditor, .edit(.complete), "complete the command", hint: true),
    ])
}

/// What a key asks for. Actions never draw: the reducer turns them into a new state and the
/// effects to run (redraw a region, compute, quit).
public enum Action: Hashable, Sendable {
    // Anywhere
    case quit, help, commandLine, editPrompt, switchPane, back, jumpBack, toggleBOS
    case show(PageKind)
    // Movement, in whichever pane has focus
    case moveUp, moveDown, moveLeft, moveRight, top, bottom, halfPageDown, halfPageUp, pageDown, pageUp
    case open
    // Views
    case nextMetric, previousMetric
    case toggleScores, toggleZoom, nextHead, previousHead, summaryDown, summaryUp
    case cycleNeuronRanking
    case setAnswer, setWrong, clearWrong
    case cycleAttributionUnit
    case toggleOrder
    // Ablation
    case zeroAblate, meanAblate, toggleAblation, clearAblations
    // Two prompts: the corrupted prompt, activation patching, clean / corrupted compare
    case editCorruptedPrompt, cyclePatchingGrid, cycleCompare
    // Line editing (prompt and command line)
    case edit(LineEditAction)
}

/// Pages a global key jumps to.
public enum PageKind: String, Hashable, Sendable, CaseIterable {
    case atlas, lens, logits, attribution, neurons, layer, embed, ablations
    case patching
}

/// Editing actions of the prompt and command lines.
public enum LineEditAction: Hashable, Sendable {
    case accept, cancel, left, right, wordLeft, wordRight, start, end
    case deleteBackward, deleteForward, deleteWordBackward, deleteToStart, deleteToEnd
    case historyPrevious, historyNext, complete
}

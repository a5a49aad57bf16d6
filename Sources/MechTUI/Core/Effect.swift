/// Parts of the screen a change can touch.
public enum Region: Hashable, Sendable {
    case title, navigator, main, status
    public static let all: Set<Region> = [.title, .navigator, .main, .status]
}

/// What the core asks the runtime to do after an event: the core itself never draws, computes or
/// touches a file.
public enum Effect: Equatable, Sendable {
    case redraw(Set<Region>)
    /// Tokenize and run the prompt as generation `generation` with the active `ablations`,
    /// cancelling older runs.
    case runPrompt(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation])
    /// Compute `request` for the run of `generation`.
    case compute(AnalysisRequest, generation: Int)
    /// Tokenize and run the corrupted prompt as generation `generation` (beside the clean run).
    case runCorrupted(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation])
    /// Stop a long request that no page shows any more.
    case cancel(AnalysisRequest)
    /// Write the main view as plain text to `path`.
    case export(path: String)
    /// Load the theme named (or the theme file) and draw with it from now on.
    case setTheme(String)
    case quit
}

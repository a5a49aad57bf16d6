/// What a page's heading says about the run it reads when that is not the clean prompt's plain
/// run: "corrupted run", "ABLATED zero-ablate L1H3, mean-ablate L0H2", or both.
enum RunMarker {
    static func text(_ state: ExplorerState) -> String? {
        var parts: [String] = []
        if state.showsCorrupted { parts.append("corrupted run") }
        if let run = state.run, !run.ablations.isEmpty {
            parts.append("ABLATED " + run.ablations.map(\.label).joined(separator: ", "))
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }
}

import MechTensor

/// Where NaN or ±∞ first enter a forward pass: a model file with a NaN weight (or weights so large
/// they overflow) makes every later number meaningless, and the useful report is the first hook,
/// in forward order, whose activation is not finite.
public enum NonFiniteValues {
    /// The first hook of a full run on `tokens` holding a non-finite value ("logits" when only the
    /// logits do), or nil when everything is finite. Masked attention scores (−∞ by convention,
    /// the future positions) do not count.
    public static func firstHook(_ transformer: Transformer, tokens: [Int]) throws -> String? {
        let c = transformer.config
        let run = try transformer.run(tokens, caching: .all, logits: .all)
        for hook in HookPoint.all(for: c) {
            guard let t = run.cache[hook] else { continue }
            if case .attnScores = hook {
                if (0..<t.count).contains(where: { t.pointer[$0].isNaN || t.pointer[$0] == .infinity }) { return hook.name }
            } else if !allFinite(t) {
                return hook.name
            }
        }
        return allFinite(run.logits) ? nil : "logits"
    }

    /// The error to report for a run on `tokens` whose results were not all finite.
    public static func error(_ transformer: Transformer, tokens: [Int], folder: String) throws -> ModelError {
        .nonFiniteValues(hook: try firstHook(transformer, tokens: tokens) ?? "logits", folder: folder)
    }

    public static func allFinite(_ t: Tensor) -> Bool {
        (0..<t.count).allSatisfy { t.pointer[$0].isFinite }
    }
}

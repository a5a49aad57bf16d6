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

    /// The first weight holding NaN or ±∞, in the order the pass reads them, by TransformerLens's name
    /// ("W_E (row 7)", "blocks.1.attn.W_K"), or nil. An analysis of the weights alone (circuits, OV
    /// copying) reports this when LAPACK refuses non-finite input. Reads one block at a time.
    public static func firstWeight(_ transformer: Transformer) -> String? {
        let w = transformer.weights
        if let row = firstNonFiniteRow(w.tokenEmbedding) { return "W_E (row \(row))" }
        if let p = w.positionEmbedding, let row = firstNonFiniteRow(p) { return "W_pos (row \(row))" }
        for l in 0..<w.layerCount {
            let b = w.block(l)
            let named: [(String, Tensor?)] = [
                ("ln1.w", b.ln1?.weight), ("ln1.b", b.ln1?.bias),
                ("attn.W_Q", b.wQ.contiguous()), ("attn.b_Q", b.bQ), ("attn.W_K", b.wK.contiguous()), ("attn.b_K", b.bK),
                ("attn.W_V", b.wV.contiguous()), ("attn.b_V", b.bV), ("attn.W_O", b.attnOut), ("attn.b_O", b.attnOutBias),
                ("ln2.w", b.ln2?.weight), ("ln2.b", b.ln2?.bias), ("mlp.W_in", b.mlpIn), ("mlp.b_in", b.mlpInBias),
                ("mlp.W_gate", b.mlpGate), ("mlp.W_out", b.mlpOut), ("mlp.b_out", b.mlpOutBias),
            ]
            if let bad = named.first(where: { $0.1.map { !allFinite($0) } ?? false }) { return "blocks.\(l).\(bad.0)" }
        }
        if let ln = w.lnFinal, !allFinite(ln.weight) || !allFinite(ln.bias) { return "ln_final" }
        if let row = firstNonFiniteRow(w.unembedding) { return "W_U (token \(row))" }
        if let bias = w.unembeddingBias, !allFinite(bias) { return "b_U" }
        return nil
    }

    /// The first row of a [rows, columns] matrix holding a non-finite value.
    private static func firstNonFiniteRow(_ t: Tensor) -> Int? {
        let columns = t.shape.last ?? 1
        return (0..<t.count).first { !t.pointer[$0].isFinite }.map { $0 / columns }
    }

    public static func allFinite(_ t: Tensor) -> Bool {
        (0..<t.count).allSatisfy { t.pointer[$0].isFinite }
    }
}

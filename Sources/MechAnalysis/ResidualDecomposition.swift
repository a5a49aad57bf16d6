import MechModels
import MechTensor

/// The residual stream taken apart, at chosen positions: the state before each layer (logit lens),
/// each component's write (embeddings, attention, MLP), and each head's write. These are
/// TransformerLens's `accumulated_resid`, `decompose_resid` and `stack_head_results`.
///
/// Convention: the forward pass and its cache are RAW (Hugging Face's numbers). Every stack here
/// is what TransformerLens 4 returns in COMPATIBILITY MODE (default processed weights: fold_ln,
/// center_writing_weights, center_unembed, fold_value_biases). With LayerNorm, processing centres
/// every write over d_model, so the processed model's hook values are the raw ones minus their
/// mean over d_model; head writes use the processed weights:
///     head h of layer l:  (z_raw[h] − b_V'[l, h]) · W_O'[l, h]      (b_V' = `foldedValueBias`, the
///     value bias after LayerNorm folding, which fold_value_biases moved into b_O')
///     attention bias:     b_O'[l]  (= centred b_O + Σ_h b_V'[h]·W_O[h])
/// so the heads of a layer plus its attention bias add up to the centred hook_attn_out.
public enum ResidualDecomposition {
    /// `accumulated_resid(layer=None, incl_mid:)`: resid_pre of every layer (and resid_mid when
    /// `includeMid`), then the last block's resid_post (`final_post`). For the logit lens use
    /// `.recomputedFinal` (as TransformerLens 4's `apply_ln=True` does at the unembed); for
    /// attribution, `.cachedFinalScale`.
    public static func accumulated(_ model: Transformer, _ run: ForwardResult, positions: [Int],
                                   includeMid: Bool = false,
                                   layerNorm: ResidualLayerNorm = .none) throws -> ResidualStack {
        let c = model.config
        var entries: [(ResidualComponent, HookPoint)] = []
        for l in 0..<c.nLayers {
            entries.append((.residPre(l), .residPre(l)))
            if includeMid && !c.attnOnly && !c.architecture.parallelAttentionMLP { entries.append((.residMid(l), .residMid(l))) }
        }
        entries.append((.finalPost, .residPost(c.nLayers - 1)))
        return try gathered(entries, model, run, positions: positions, layerNorm: layerNorm)
    }

    /// `decompose_resid(layer=None)`: embed, pos_embed, then each layer's attn_out and mlp_out
    /// (no MLP entries for attention-only models). The entries add up to `final_post`.
    public static func components(_ model: Transformer, _ run: ForwardResult, positions: [Int],
                                  layerNorm: ResidualLayerNorm = .none) throws -> ResidualStack {
        let c = model.config
        var entries: [(ResidualComponent, HookPoint)] = [(.embed, .embed)]
        if c.positions.isLearned { entries.append((.posEmbed, .posEmbed)) }
        for l in 0..<c.nLayers {
            entries.append((.attnOut(l), .attnOut(l)))
            if !c.attnOnly { entries.append((.mlpOut(l), .mlpOut(l))) }
        }
        return try gathered(entries, model, run, positions: positions, layerNorm: layerNorm)
    }

    /// `stack_head_results(layer=None)`: every head's write L0H0, L0H1, …, in that order; then,
    /// when `includeAttentionBias`, each layer's attention bias (`0_attn_bias`, …), which
    /// TransformerLens leaves inside its remainder; then, when `includeRemainder`, the rest of
    /// `final_post` (embeddings, MLPs, and the biases when they are not listed).
    public static func heads(_ model: Transformer, _ weights: ProcessedWeights, _ run: ForwardResult,
                             positions: [Int], includeAttentionBias: Bool = true, includeRemainder: Bool = false,
                             layerNorm: ResidualLayerNorm = .none) throws -> ResidualStack {
        let c = model.config
        try ResidualPositions.validate(positions, count: run.tokens.count)
        let d = c.dModel, heads = c.nHeads, dh = c.dHead, nPos = positions.count
        var components: [ResidualComponent] = []
        for l in 0..<c.nLayers { for h in 0..<heads { components.append(.head(layer: l, head: h)) } }
        if includeAttentionBias { components += (0..<c.nLayers).map { .attnBias($0) } }
        if includeRemainder { components.append(.remainder) }
        let values = Tensor(zeros: [components.count, nPos, d])

        // z rows at the positions, value bias removed: [pos, head·d_head] per layer.
        let z = Tensor(uninitialized: [nPos, heads * dh])
        for l in 0..<c.nLayers {
            let rawZ = try run.cache.required(.z(l))
            let bias = weights.foldedValueBias(l)
            for (i, p) in positions.enumerated() {
                let src = rawZ.pointer + p * heads * dh, dst = z.pointer + i * heads * dh
                for j in 0..<(heads * dh) { dst[j] = src[j] - bias.pointer[j] }
            }
            let wO = weights.attentionOutput(l)                       // W_O' [head·d_head, d_model]
            for h in 0..<heads {                                      // z'[h]·W_O'[h]  [pos, d_model]
                wO.slice((h * dh)..<((h + 1) * dh)).premultiply(z.pointer + h * dh, rows: nPos, ldx: heads * dh,
                                                                into: values.pointer + (l * heads + h) * nPos * d)
            }
            if includeAttentionBias {
                let base = values.pointer + (c.nLayers * heads + l) * nPos * d, bO = weights.attentionBias(l)
                for i in 0..<nPos { (base + i * d).update(from: bO.pointer, count: d) }
            }
        }
        if includeRemainder {
            let listed = components.count - 1
            let rest = values.pointer + listed * nPos * d
            let final = try run.cache.required(.residPost(c.nLayers - 1))
            copyRows(final, positions, centred: c.normalization.centres, into: rest, d: d)
            for e in 0..<listed {
                let entry = values.pointer + e * nPos * d
                for j in 0..<(nPos * d) { rest[j] -= entry[j] }
            }
        }
        try layerNorm.apply(to: values, positions: positions, normalization: c.normalization, cache: run.cache)
        return ResidualStack(components: components, positions: positions, values: values, layerNorm: layerNorm)
    }

    /// The hooks these stacks read, to cache no more than needed.
    public static func requiredHooks(_ config: TransformerConfig) -> Set<HookPoint> {
        var hooks: Set<HookPoint> = config.positions.isLearned ? [.embed, .posEmbed] : [.embed]
        if config.hasLayerNorm { hooks.formUnion([.lnFinalScale, .lnFinalNormalized]) }
        for l in 0..<config.nLayers {
            hooks.formUnion([.residPre(l), .residPost(l), .attnOut(l), .z(l)])
            if !config.attnOnly { hooks.formUnion([.mlpOut(l), .mlpPost(l)]) }
            if !config.attnOnly && !config.architecture.parallelAttentionMLP { hooks.insert(.residMid(l)) }
        }
        return hooks
    }

    // MARK: - Gathering

    /// Rows of cached activations at `positions`, centred as the processed model's hooks are.
    private static func gathered(_ entries: [(ResidualComponent, HookPoint)], _ model: Transformer,
                                 _ run: ForwardResult, positions: [Int],
                                 layerNorm: ResidualLayerNorm) throws -> ResidualStack {
        let c = model.config
        try ResidualPositions.validate(positions, count: run.tokens.count)
        let d = c.dModel
        let values = Tensor(uninitialized: [entries.count, positions.count, d])
        for (e, entry) in entries.enumerated() {
            copyRows(try run.cache.required(entry.1), positions, centred: c.normalization.centres,
                     into: values.pointer + e * positions.count * d, d: d)
        }
        try layerNorm.apply(to: values, positions: positions, normalization: c.normalization, cache: run.cache)
        return ResidualStack(components: entries.map(\.0), positions: positions, values: values, layerNorm: layerNorm)
    }

    /// Copies rows `positions` of a [pos, d] tensor, each minus its mean when `centred`.
    static func copyRows(_ source: Tensor, _ positions: [Int], centred: Bool,
                         into destination: UnsafeMutablePointer<Float>, d: Int) {
        for (i, p) in positions.enumerated() {
            let src = source.pointer + p * d, dst = destination + i * d
            dst.update(from: src, count: d)
            if centred {
                let mean = Reduce.sum(dst, count: d) / Float(d)
                for j in 0..<d { dst[j] -= mean }
            }
        }
    }
}

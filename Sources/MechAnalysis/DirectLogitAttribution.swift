import MechModels
import MechTensor

/// Direct logit attribution: how much each component, head, or MLP neuron writes, straight through
/// the final LayerNorm and unembedding, towards one token's logit or a logit difference
/// (answer − wrong) at a position — TransformerLens's `logit_attrs` /
/// `residual_stack_to_logit_diff`: `apply_ln_to_stack(stack) · (W_U'[:, a] − W_U'[:, b])`.
///
/// LayerNorm convention: the CACHED final scale (`apply_ln_to_stack(..., recompute_ln=False)`):
/// each entry is centred over d_model and divided by the `ln_final.hook_scale` the forward pass
/// computed at that position, so a complete decomposition adds up to `normalized · direction`, the
/// processed logit (difference) minus the unembedding bias's share. (The logit lens instead
/// recomputes the LayerNorm per layer; see `LogitLens`.) Weights are TransformerLens's processed
/// ones (compatibility mode); see `ResidualDecomposition` for how heads are split.
public enum DirectLogitAttribution {
    /// The direction W_U'[:, answer] (− W_U'[:, wrong]).
    public static func direction(_ weights: ProcessedWeights, answer: Int, wrong: Int? = nil) throws -> LogitDirection {
        let d = weights.dModel, vocab = weights.vocabularySize
        for t in [answer] + (wrong.map { [$0] } ?? []) where t < 0 || t >= vocab {
            throw ResidualAnalysisError.tokenOutOfRange(token: t, vocabSize: vocab)
        }
        let v = weights.unembedding.column(answer)                   // [d_model]
        if let wrong {
            let other = weights.unembedding.column(wrong)
            for i in 0..<d { v.pointer[i] -= other.pointer[i] }
        }
        let bias = weights.bU.pointer[answer] - (wrong.map { weights.bU.pointer[$0] } ?? 0)
        return LogitDirection(answer: answer, wrong: wrong, vector: v, bias: bias)
    }

    /// embed, pos_embed, each layer's attn_out and mlp_out (TransformerLens's unit="component").
    public static func components(_ model: Transformer, _ run: ForwardResult, positions: [Int],
                                  direction: LogitDirection) throws -> DirectLogitAttributionResult {
        let stack = try ResidualDecomposition.components(model, run, positions: positions, layerNorm: .cachedFinalScale)
        return project(stack, direction)
    }

    /// Each head (L0H0, …), then each layer's attention bias when `includeAttentionBias`, then
    /// the remainder (embeddings, MLPs, and the biases when not listed) when `includeRemainder`.
    /// Without the biases this is TransformerLens's unit="head" exactly.
    ///
    /// Computed projected, never forming head writes: with u_c = u − mean(u) (centring an entry is
    /// the same as centring u), head h gives (z_raw[h] − b_V'[h]) · (W_O'[h]·u_c) / scale, the
    /// bias b_O'·u_c / scale, and the remainder what the listed entries leave of normalized · u.
    public static func heads(_ model: Transformer, _ weights: ProcessedWeights, _ run: ForwardResult,
                             positions: [Int], direction: LogitDirection, includeAttentionBias: Bool = true,
                             includeRemainder: Bool = true) throws -> DirectLogitAttributionResult {
        let c = model.config
        try ResidualPositions.validate(positions, count: run.tokens.count)
        let d = c.dModel, heads = c.nHeads, dh = c.dHead, nPos = positions.count
        let (u, inverseScale) = try centredDirection(model, run, positions: positions, direction: direction)
        var components: [ResidualComponent] = []
        for l in 0..<c.nLayers { for h in 0..<heads { components.append(.head(layer: l, head: h)) } }
        if includeAttentionBias { components += (0..<c.nLayers).map { .attnBias($0) } }
        if includeRemainder { components.append(.remainder) }
        let values = Tensor(zeros: [components.count, nPos])
        let readout = Tensor(uninitialized: [heads * dh])            // W_O'[h]·u_c for every head
        for l in 0..<c.nLayers {
            let z = try run.cache.required(.z(l)), bV = weights.foldedValueBias(l), bO = weights.attentionBias(l)
            weights.attentionOutput(l).times(u.pointer, into: readout.pointer)
            for h in 0..<heads {
                let r = readout.pointer + h * dh, b = bV.pointer + h * dh
                var s: Float = 0                                     // b_V'[h]·readout, taken off z·readout
                for j in 0..<dh { s += b[j] * r[j] }
                let row = values.pointer + (l * heads + h) * nPos
                for (i, p) in positions.enumerated() {
                    let zp = z.pointer + (p * heads + h) * dh
                    var dot: Float = 0
                    for j in 0..<dh { dot += zp[j] * r[j] }
                    row[i] = (dot - s) * inverseScale[i]
                }
            }
            if includeAttentionBias {
                var dot: Float = 0
                for j in 0..<d { dot += bO.pointer[j] * u.pointer[j] }
                let row = values.pointer + (c.nLayers * heads + l) * nPos
                for i in 0..<nPos { row[i] = dot * inverseScale[i] }
            }
        }
        if includeRemainder {
            let total = try residualLogit(model, run, positions: positions, direction: direction)
            let listed = components.count - 1, rest = values.pointer + listed * nPos
            for i in 0..<nPos {
                var sum: Float = 0
                for e in 0..<listed { sum += values.pointer[e * nPos + i] }
                rest[i] = total[i] - sum
            }
        }
        return DirectLogitAttributionResult(components: components, positions: positions, values: values,
                                            direction: direction)
    }

    /// Each accumulated state 0_pre, 0_mid, …, final_post (TransformerLens's unit="layer").
    public static func accumulated(_ model: Transformer, _ run: ForwardResult, positions: [Int],
                                   direction: LogitDirection) throws -> DirectLogitAttributionResult {
        let stack = try ResidualDecomposition.accumulated(model, run, positions: positions, includeMid: true,
                                                          layerNorm: .cachedFinalScale)
        return project(stack, direction)
    }

    /// Every MLP neuron L0N0 … (layer-major), as TransformerLens's `stack_neuron_results(apply_ln=True,
    /// project_output_onto=direction)`: post[n] · (W_out'[n]·u − mean(W_out'[n])·Σu) / scale, which is
    /// post[n] · (W_out'[n]·u_c) / scale with u_c = u − mean(u). Only one d_mlp-long vector per layer
    /// is formed, never the [neuron, d_model] writes.
    public static func neurons(_ model: Transformer, _ weights: ProcessedWeights, _ run: ForwardResult,
                               positions: [Int], direction: LogitDirection) throws -> DirectLogitAttributionResult {
        let c = model.config
        guard !c.attnOnly, c.dMLP > 0 else { throw ResidualAnalysisError.noMLP }
        try ResidualPositions.validate(positions, count: run.tokens.count)
        let dMLP = c.dMLP, nPos = positions.count
        let (u, inverseScale) = try centredDirection(model, run, positions: positions, direction: direction)
        let values = Tensor(uninitialized: [c.nLayers * dMLP, nPos])
        let perNeuron = Tensor(uninitialized: [dMLP])
        for l in 0..<c.nLayers {
            guard let wOut = weights.mlpOutput(l) else { throw ResidualAnalysisError.noMLP }
            let post = try run.cache.required(.mlpPost(l))
            wOut.times(u.pointer, into: perNeuron.pointer)                // W_out'·u_c  [d_mlp]
            for n in 0..<dMLP {
                let row = values.pointer + (l * dMLP + n) * nPos
                for (i, p) in positions.enumerated() {
                    row[i] = post.pointer[p * dMLP + n] * perNeuron.pointer[n] * inverseScale[i]
                }
            }
        }
        let components = (0..<c.nLayers).flatMap { l in (0..<dMLP).map { ResidualComponent.neuron(layer: l, neuron: $0) } }
        return DirectLogitAttributionResult(components: components, positions: positions, values: values,
                                            direction: direction)
    }

    /// The direction centred over d_model (when the model has LayerNorm: centring each entry, as
    /// apply_ln_to_stack does, equals centring the direction) and 1 / the cached final scale per position.
    static func centredDirection(_ model: Transformer, _ run: ForwardResult, positions: [Int],
                                 direction: LogitDirection) throws -> (Tensor, [Float]) {
        guard model.config.hasLayerNorm else { return (direction.vector, [Float](repeating: 1, count: positions.count)) }
        let d = model.config.dModel
        let u = direction.vector.copy()
        if model.config.normalization.centres {                          // RMSNorm does not centre
            let mean = Reduce.sum(u.pointer, count: d) / Float(d)
            for i in 0..<d { u.pointer[i] -= mean }
        }
        let scale = try run.cache.required(.lnFinalScale)
        return (u, positions.map { 1 / scale.pointer[$0] })
    }

    /// The logit (difference) the residual stream produces at each position, `normalized · u`
    /// (from the cached `ln_final.hook_normalized`, or the final residual without LayerNorm): what
    /// a complete decomposition's attributions add up to.
    public static func residualLogit(_ model: Transformer, _ run: ForwardResult, positions: [Int],
                                     direction: LogitDirection) throws -> [Float] {
        try ResidualPositions.validate(positions, count: run.tokens.count)
        let d = model.config.dModel
        let x = model.config.hasLayerNorm ? try run.cache.required(.lnFinalNormalized)
                                          : try run.cache.required(.residPost(model.config.nLayers - 1))
        return positions.map { p in
            var s: Float = 0
            for i in 0..<d { s += x.pointer[p * d + i] * direction.vector.pointer[i] }
            return s
        }
    }

    /// Any stack's entries dotted with the direction (the stack should carry `.cachedFinalScale`).
    public static func project(_ stack: ResidualStack, _ direction: LogitDirection) -> DirectLogitAttributionResult {
        DirectLogitAttributionResult(components: stack.components, positions: stack.positions,
                                     values: stack.projected(onto: direction.vector), direction: direction)
    }
}

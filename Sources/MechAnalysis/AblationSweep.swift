import MechModels
import MechTensor

/// Ablates heads or MLP neurons one at a time and reports each one's effect on the logit
/// difference (answer − wrong at the last position) and on the mean next-token loss.
///
/// Conventions, matching TransformerLens's default processed model (compatibility mode):
/// - Zero-ablating a head sets its `hook_z` to zero in the PROCESSED model. There fold_ln has made
///   the value bias b_V' = b_V + ln1.b·W_V (the value of a zero LayerNorm output) and
///   fold_value_biases has moved it into b_O, so the processed z is the raw z − b_V' and its
///   constant b_V'·W_O[h] stays in the output. On the raw weights Mechscope runs, that is z := b_V'
///   at every position. (MechModels' `Intervention.zeroHead` zeroes the raw z instead, which
///   also drops that constant: a different, harsher intervention.)
/// - Mean-ablation replaces a head's z (or a neuron's `hook_post`) at every position by its mean
///   over the positions of a reference run: the prompt itself unless another one is given. The
///   mean is the same in raw and processed coordinates, since folding b_V shifts every z alike.
/// - Neurons are `blocks.L.mlp.hook_post` entries; zero is zero in both coordinate systems.
/// Each ablated head's run resumes at the ablated block from the unablated run's cache. Neurons
/// need no run of their own block: replacing neuron n's activation changes that block's output by
/// −(activation − value)·W_out[n] at each position, so a neuron of block L resumes at block L + 1
/// from the edited residual, and the last block's neurons need no pass at all
/// (`LastLayerNeuronAblation`: one rank-one update of the logits per neuron, in batches).
public struct AblationSweep: @unchecked Sendable {
    public let transformer: Transformer
    public let tokens: [Int]
    public let metric: LogitDiffMetric
    public let baselineLogitDiff: Float
    public let baselineLoss: Float?
    private let baseRun: ForwardResult
    private let referenceRun: ForwardResult

    /// Runs the prompt (and the reference prompt for means, when given) once.
    public init(transformer: Transformer, tokens: [Int], metric: LogitDiffMetric, reference: [Int]? = nil,
                shouldContinue: () -> Bool = { true }) throws {
        let c = transformer.config
        if let bad = metric.outOfRange(vocabSize: c.vocabSize) {
            throw AblationError.tokenOutOfRange(role: bad.role, token: bad.token, vocabSize: c.vocabSize)
        }
        var starts = Set((0..<c.nLayers).map { HookPoint.residPre($0) })
        if !c.attnOnly {
            // The neuron paths start from each block's output and its activations.
            starts.insert(.residPost(c.nLayers - 1))
            starts.formUnion((0..<c.nLayers).map { HookPoint.mlpPost($0) })
        }
        var means = Set((0..<c.nLayers).map { HookPoint.z($0) })
        if !c.attnOnly { means.formUnion((0..<c.nLayers).map { HookPoint.mlpPost($0) }) }
        if let reference {
            baseRun = try transformer.run(tokens, caching: .only(starts), shouldContinue: shouldContinue)
            referenceRun = try transformer.run(reference, caching: .only(means), computeLogits: false,
                                               shouldContinue: shouldContinue)
        } else {
            baseRun = try transformer.run(tokens, caching: .only(starts.union(means)), shouldContinue: shouldContinue)
            referenceRun = baseRun
        }
        self.transformer = transformer
        self.tokens = tokens
        self.metric = metric
        baselineLogitDiff = metric.value(baseRun.logits)
        baselineLoss = AblationLoss.meanNextTokenLoss(logits: baseRun.logits, tokens: tokens)
    }

    /// Every head of every layer, in layer then head order.
    public func heads(_ mode: AblationMode, shouldContinue: () -> Bool = { true },
                      progress: (Int, Int) -> Void = { _, _ in }) throws -> AblationResult {
        let c = transformer.config
        var effects: [AblationEffect] = []
        for layer in 0..<c.nLayers {
            for head in 0..<c.nHeads {
                let edit = try AblationInterventions.head(layer: layer, head: head, mode, transformer: transformer,
                                                          reference: referenceRun)
                effects.append(try effect(layer: layer, index: head, edit: edit.edit, shouldContinue: shouldContinue))
                progress(effects.count, c.nLayers * c.nHeads)
            }
        }
        return AblationResult(unit: .head, mode: mode, baselineLogitDiff: baselineLogitDiff,
                              baselineLoss: baselineLoss, effects: effects)
    }

    /// Every neuron of `layer`'s MLP in neuron order, or only those in `indices` (in that order).
    public func neurons(layer: Int, _ mode: AblationMode, indices: [Int]? = nil, shouldContinue: () -> Bool = { true },
                        progress: (Int, Int) -> Void = { _, _ in }) throws -> AblationResult {
        let c = transformer.config
        guard !c.attnOnly else { throw AblationError.noMLP }
        guard layer >= 0, layer < c.nLayers else { throw AblationError.layerOutOfRange(layer: layer, layers: c.nLayers) }
        let chosen = indices ?? Array(0..<c.dMLP)
        if let bad = chosen.first(where: { $0 < 0 || $0 >= c.dMLP }) {
            throw AblationError.neuronOutOfRange(neuron: bad, dMLP: c.dMLP)
        }
        let means = mode == .mean ? AblationInterventions.meanOverPositions(try reference(.mlpPost(layer))) : []
        let values = chosen.map { mode == .zero ? 0 : means[$0] }
        let activations = try cached(.mlpPost(layer))
        var effects: [AblationEffect] = []
        if layer == c.nLayers - 1 {
            let fast = LastLayerNeuronAblation(transformer: transformer, tokens: tokens, metric: metric,
                                               residual: try cached(.residPost(layer)), activations: activations)
            let results = try fast.effects(neurons: chosen, values: values, shouldContinue: shouldContinue) {
                progress($0, chosen.count)
            }
            for (neuron, r) in zip(chosen, results) {
                effects.append(effect(layer: layer, index: neuron, logitDiff: r.logitDiff, loss: r.loss))
            }
        } else {
            for (neuron, value) in zip(chosen, values) {
                let edit = Self.removeNeuronOutput(layer: layer, neuron: neuron, activations: activations,
                                                   value: value, weights: transformer.weights,
                                                   label: "\(mode.rawValue)-ablate L\(layer)N\(neuron)")
                effects.append(try effect(layer: layer + 1, index: neuron, edit: edit, shouldContinue: shouldContinue,
                                          reportedLayer: layer))
                progress(effects.count, chosen.count)
            }
        }
        return AblationResult(unit: .neuron, mode: mode, baselineLogitDiff: baselineLogitDiff,
                              baselineLoss: baselineLoss, effects: effects)
    }

    /// The effect of a run resumed at block `layer` with `edit`, reported under `reportedLayer`.
    private func effect(layer: Int, index: Int, edit: ActivationEdit, shouldContinue: () -> Bool,
                        reportedLayer: Int? = nil) throws -> AblationEffect {
        guard shouldContinue() else { throw ModelError.cancelled }
        let run = try transformer.resume(from: baseRun, layer: layer, position: 0, edits: [edit],
                                         shouldContinue: shouldContinue)
        return effect(layer: reportedLayer ?? layer, index: index, logitDiff: metric.value(run.logits),
                      loss: AblationLoss.meanNextTokenLoss(logits: run.logits, tokens: tokens))
    }

    private func effect(layer: Int, index: Int, logitDiff diff: Float, loss: Float?) -> AblationEffect {
        var lossChange: Float?
        if let loss, let baselineLoss { lossChange = loss - baselineLoss }
        return AblationEffect(layer: layer, index: index, logitDiff: diff, logitDiffChange: diff - baselineLogitDiff,
                              loss: loss, lossChange: lossChange)
    }

    private func cached(_ hook: HookPoint) throws -> Tensor {
        guard let t = baseRun.cache[hook] else { throw PrefixReuseError.missingActivation(hook: hook.name) }
        return t
    }

    /// Block `layer + 1`'s input with neuron `neuron` of block `layer` replaced by `value`: the
    /// block's output minus (activation − value)·W_out[neuron] at every position.
    private static func removeNeuronOutput(layer: Int, neuron: Int, activations: Tensor, value: Float,
                                           weights: TransformerWeights, label: String) -> ActivationEdit {
        let wOut = weights.block(layer).mlpOut!
        return ActivationEdit(hook: .residPre(layer + 1), label: label) { x in
            let d = x.shape[1], dMLP = activations.shape[1], w = wOut.pointer + neuron * d
            for p in 0..<x.shape[0] {
                let c = activations.pointer[p * dMLP + neuron] - value
                let r = x.pointer + p * d
                for i in 0..<d { r[i] -= c * w[i] }
            }
        }
    }

    private func reference(_ hook: HookPoint) throws -> Tensor {
        guard let t = referenceRun.cache[hook] else { throw PrefixReuseError.missingActivation(hook: hook.name) }
        return t
    }
}

import MechModels
import MechTensor

/// The interventions `mechscope ablate` makes, for one head or neuron at a time, from the weights
/// and a reference run's cache (the prompt's own run for `--mean` without `--reference`). See
/// `AblationSweep` for the conventions: a zero-ablated head's z is its folded value bias.
public enum AblationInterventions {
    /// Zero: z := b_V + ln1.b·W_V; mean: z := its mean over the reference run's positions.
    /// `reference` must hold `hook_z` of `layer` for the mean.
    public static func head(layer: Int, head: Int, _ mode: AblationMode, transformer: Transformer,
                            reference: ForwardResult?) throws -> Intervention {
        let c = transformer.config
        guard layer >= 0, layer < c.nLayers else { throw AblationError.layerOutOfRange(layer: layer, layers: c.nLayers) }
        guard mode == .mean else {
            return .processedZeroHead(layer: layer, head: head, valueBias: valueBias(transformer, layer: layer, head: head))
        }
        let z = try cached(.z(layer), in: reference)
        let all = meanOverPositions(z.reshaped([z.shape[0], c.nHeads * c.dHead]))
        return .meanHead(layer: layer, head: head, mean: Array(all[(head * c.dHead)..<((head + 1) * c.dHead)]))
    }

    /// Zero: the neuron's `hook_post` := 0; mean: its mean over the reference run's positions.
    public static func neuron(layer: Int, neuron: Int, _ mode: AblationMode, transformer: Transformer,
                              reference: ForwardResult?) throws -> Intervention {
        guard mode == .mean else { return .setNeuron(layer: layer, neuron: neuron, to: 0) }
        let means = meanOverPositions(try cached(.mlpPost(layer), in: reference))
        guard neuron >= 0, neuron < means.count else {
            throw AblationError.neuronOutOfRange(neuron: neuron, dMLP: transformer.config.dMLP)
        }
        return .meanNeuron(layer: layer, neuron: neuron, mean: means[neuron])
    }

    private static func cached(_ hook: HookPoint, in run: ForwardResult?) throws -> Tensor {
        guard let t = run?.cache[hook] else { throw PrefixReuseError.missingActivation(hook: hook.name) }
        return t
    }

    /// One head's value bias after fold_ln, b_V + ln1.b·W_V [d_head]: what the processed model's
    /// zero z is on raw weights (ProcessedWeights.foldedValueBias, without processing every weight).
    static func valueBias(_ transformer: Transformer, layer: Int, head: Int) -> [Float] {
        let c = transformer.config, d = c.dModel, dh = c.dHead
        let block = transformer.weights.block(layer)
        let kvHead = head / c.architecture.attention.groupSize                 // the value head this head reads
        let bias = Tensor(shape: [dh], values: Array(UnsafeBufferPointer(start: block.bV.pointer + kvHead * dh, count: dh)))
        if let ln = block.ln1 {
            // bias += ln1.b · W_V[:, head]   (W_V is [d_model, kv_head·d_head]; this head's columns start at kv_head·d_head)
            BLAS.gemv(transposeA: true, rows: d, cols: dh, a: block.wV.pointer + kvHead * dh, lda: block.wV.ld,
                      x: ln.bias.pointer, beta: 1, y: bias.pointer)
        }
        return bias.scalars
    }

    /// Column means of a [pos, n] activation, accumulated in Double.
    static func meanOverPositions(_ x: Tensor) -> [Float] {
        let rows = x.shape[0], n = x.count / max(rows, 1)
        var sums = [Double](repeating: 0, count: n)
        for r in 0..<rows {
            let row = x.pointer + r * n
            for j in 0..<n { sums[j] += Double(row[j]) }
        }
        return sums.map { Float($0 / Double(rows)) }
    }
}

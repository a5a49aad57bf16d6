import MechModels
import MechTensor

/// One MLP neuron and a number about it (its activation, or its direct logit attribution).
public struct NeuronValue: Sendable, Equatable {
    public let layer: Int
    public let neuron: Int
    public let value: Float

    public var label: String { "L\(layer)N\(neuron)" }
}

/// MLP neurons' activations (`blocks.L.mlp.hook_post`, identical in the raw and processed models)
/// and the neurons that stand out at a position.
public enum NeuronActivations {
    /// Every neuron's activation at every position of one layer: the cached [pos, d_mlp] hook_post.
    public static func layer(_ l: Int, _ model: Transformer, _ run: ForwardResult) throws -> Tensor {
        let c = model.config
        guard !c.attnOnly, c.dMLP > 0 else { throw ResidualAnalysisError.noMLP }
        guard l >= 0, l < c.nLayers else {
            throw ResidualAnalysisError.neuronOutOfRange(layer: l, neuron: 0, layers: c.nLayers, dMLP: c.dMLP)
        }
        return try run.cache.required(.mlpPost(l))
    }

    /// Every neuron's activation at one position, layer-major: [n_layers, d_mlp].
    public static func atPosition(_ position: Int, _ model: Transformer, _ run: ForwardResult) throws -> Tensor {
        let c = model.config
        try ResidualPositions.validate([position], count: run.tokens.count)
        let out = Tensor(uninitialized: [c.nLayers, c.dMLP])
        for l in 0..<c.nLayers {
            let post = try layer(l, model, run)
            (out.pointer + l * c.dMLP).update(from: post.pointer + position * c.dMLP, count: c.dMLP)
        }
        return out
    }

    /// The `count` most active neurons at a position across all layers, most active first
    /// (`largest: false` gives the most negative).
    public static func top(at position: Int, count: Int, largest: Bool = true, _ model: Transformer,
                           _ run: ForwardResult) throws -> [NeuronValue] {
        let acts = try atPosition(position, model, run)
        let dMLP = model.config.dMLP
        let keys = largest ? acts.scalars : acts.scalars.map { -$0 }
        let top = keys.withUnsafeBufferPointer {
            TopK.indices($0.baseAddress!, count: keys.count, k: count)
        }
        return top.map { NeuronValue(layer: $0 / dMLP, neuron: $0 % dMLP, value: acts.pointer[$0]) }
    }

    /// The `count` neurons with the largest direct logit attribution at a position (from
    /// `DirectLogitAttribution.neurons`), in the result's order chosen by `order`.
    public static func top(by attribution: DirectLogitAttributionResult, positionIndex: Int = 0, count: Int,
                           order: DirectLogitAttributionResult.Order = .largest) -> [NeuronValue] {
        attribution.ranked(positionIndex: positionIndex, count: count, order: order).compactMap { entry in
            guard case .neuron(let l, let n) = attribution.components[entry.index] else { return nil }
            return NeuronValue(layer: l, neuron: n, value: entry.value)
        }
    }
}

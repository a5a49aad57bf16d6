import MechModels
import MechTensor

/// What one MLP neuron's output weights do to the vocabulary when it fires: W_out'[n] · W_U'
/// with TransformerLens's processed weights (centred W_out rows, LayerNorm-folded and centred W_U),
/// ignoring the final LayerNorm's scale — the tokens the neuron directly promotes and suppresses.
public struct NeuronOutputEffect: Sendable {
    public let layer: Int
    public let neuron: Int
    /// [vocab]: the logit change per unit of activation, before the final LayerNorm's scale.
    public let effect: [Float]
    /// Most promoted tokens first, as (token id, effect).
    public let promoted: [(tokenID: Int, effect: Float)]
    /// Most suppressed tokens first (most negative effect), as (token id, effect).
    public let suppressed: [(tokenID: Int, effect: Float)]

    /// The effect of neuron `neuron` of layer `layer`, with the `count` most promoted and suppressed tokens.
    public init(layer: Int, neuron: Int, weights: ProcessedWeights, count: Int = 10) throws {
        let layers = weights.layerCount
        guard layer >= 0, layer < layers else {
            throw ResidualAnalysisError.neuronOutOfRange(layer: layer, neuron: neuron, layers: layers,
                                                         dMLP: layers > 0 ? weights.mlpOutput(0)?.rowCount ?? 0 : 0)
        }
        guard let wOut = weights.mlpOutput(layer) else { throw ResidualAnalysisError.noMLP }
        let dMLP = wOut.rowCount, vocab = weights.vocabularySize
        guard neuron >= 0, neuron < dMLP else {
            throw ResidualAnalysisError.neuronOutOfRange(layer: layer, neuron: neuron, layers: layers, dMLP: dMLP)
        }
        let values = weights.unembedding.logits(wOut.row(neuron), addBias: false).scalars   // W_out'[n]·W_U' [vocab]
        self.layer = layer
        self.neuron = neuron
        effect = values
        let up = values.withUnsafeBufferPointer {
            TopK.indices($0.baseAddress!, count: vocab, k: count)
        }
        let negated = values.map { -$0 }
        let down = negated.withUnsafeBufferPointer {
            TopK.indices($0.baseAddress!, count: vocab, k: count)
        }
        promoted = up.map { (tokenID: $0, effect: values[$0]) }
        suppressed = down.map { (tokenID: $0, effect: values[$0]) }
    }
}

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
        guard layer >= 0, layer < weights.layers.count else {
            throw ResidualAnalysisError.neuronOutOfRange(layer: layer, neuron: neuron, layers: weights.layers.count,
                                                         dMLP: weights.layers.first?.wOut?.shape[0] ?? 0)
        }
        guard let wOut = weights.layers[layer].wOut else { throw ResidualAnalysisError.noMLP }
        let dMLP = wOut.shape[0], d = wOut.shape[1], vocab = weights.wU.shape[1]
        guard neuron >= 0, neuron < dMLP else {
            throw ResidualAnalysisError.neuronOutOfRange(layer: layer, neuron: neuron, layers: weights.layers.count,
                                                         dMLP: dMLP)
        }
        let out = Tensor(uninitialized: [vocab])
        BLAS.gemv(transposeA: true, rows: d, cols: vocab, a: weights.wU.pointer, lda: vocab,
                  x: wOut.pointer + neuron * d, y: out.pointer)
        let values = out.scalars
        self.layer = layer
        self.neuron = neuron
        effect = values
        let up = values.withUnsafeBufferPointer {
            LogitLensVocabularyReadout.topIndices($0.baseAddress!, count: vocab, k: count)
        }
        let negated = values.map { -$0 }
        let down = negated.withUnsafeBufferPointer {
            LogitLensVocabularyReadout.topIndices($0.baseAddress!, count: vocab, k: count)
        }
        promoted = up.map { (tokenID: $0, effect: values[$0]) }
        suppressed = down.map { (tokenID: $0, effect: values[$0]) }
    }
}

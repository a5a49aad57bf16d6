import Foundation

/// Why an ablation sweep cannot run, in one line a user can act on.
public enum AblationError: Error, CustomStringConvertible, LocalizedError, Equatable {
    case tokenOutOfRange(role: String, token: Int, vocabSize: Int)
    case layerOutOfRange(layer: Int, layers: Int)
    case neuronOutOfRange(neuron: Int, dMLP: Int)
    case noMLP

    public var description: String {
        switch self {
        case .tokenOutOfRange(let role, let token, let vocab):
            return "the \(role) token id \(token) is outside the vocabulary of \(vocab)"
        case .layerOutOfRange(let layer, let layers):
            return "layer \(layer) does not exist: the model has layers 0…\(layers - 1)"
        case .neuronOutOfRange(let neuron, let dMLP):
            return "neuron \(neuron) does not exist: the MLP has neurons 0…\(dMLP - 1)"
        case .noMLP:
            return "the model is attention-only: it has no MLP neurons to ablate"
        }
    }

    public var errorDescription: String? { description }
}

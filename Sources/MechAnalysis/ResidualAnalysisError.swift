import Foundation
import MechModels
import MechTensor

/// Why a residual-stream analysis (decomposition, logit lens, direct logit attribution, neuron
/// readout) cannot be computed from what it was given; each case says what to change.
public enum ResidualAnalysisError: Error, CustomStringConvertible, LocalizedError, Equatable {
    /// A position outside the prompt (after resolving negative positions from the end).
    case positionOutOfRange(position: Int, tokens: Int)
    /// The forward pass was run without caching an activation the analysis reads.
    case missingActivation(hook: String)
    /// A token id outside the model's vocabulary.
    case tokenOutOfRange(token: Int, vocabSize: Int)
    /// A layer or neuron index the model does not have.
    case neuronOutOfRange(layer: Int, neuron: Int, layers: Int, dMLP: Int)
    /// Neuron analyses on a model without MLPs.
    case noMLP
    /// No positions were asked for.
    case noPositions

    public var description: String {
        switch self {
        case .positionOutOfRange(let p, let n):
            return "position \(p) is outside the prompt's \(n) tokens (use 0…\(n - 1), or -\(n)…-1 counting from the end)"
        case .missingActivation(let hook):
            return "the forward pass did not cache '\(hook)': run it with that hook cached (or caching: .all)"
        case .tokenOutOfRange(let t, let v):
            return "token id \(t) is outside the vocabulary of \(v) (use 0…\(v - 1))"
        case .neuronOutOfRange(let l, let n, let layers, let dMLP):
            return "neuron L\(l)N\(n) does not exist: the model has layers 0…\(layers - 1) with \(dMLP) neurons each"
        case .noMLP:
            return "this model is attention-only: it has no MLP neurons to analyse"
        case .noPositions:
            return "no positions were given: name at least one position to analyse"
        }
    }

    public var errorDescription: String? { description }
}

/// Positions as users give them: non-negative from the start, negative from the end (−1 = last).
public enum ResidualPositions {
    /// The absolute index of `position` in a prompt of `count` tokens, or an error naming the valid range.
    public static func resolve(_ position: Int, count: Int) throws -> Int {
        let absolute = position < 0 ? count + position : position
        guard absolute >= 0, absolute < count else {
            throw ResidualAnalysisError.positionOutOfRange(position: position, tokens: count)
        }
        return absolute
    }

    /// Checks absolute positions against the prompt length.
    static func validate(_ positions: [Int], count: Int) throws {
        guard !positions.isEmpty else { throw ResidualAnalysisError.noPositions }
        for p in positions where p < 0 || p >= count {
            throw ResidualAnalysisError.positionOutOfRange(position: p, tokens: count)
        }
    }
}

extension ActivationCache {
    /// The cached activation at `hook`, or an error naming the hook to cache.
    public func required(_ hook: HookPoint) throws -> Tensor {
        guard let t = self[hook] else { throw ResidualAnalysisError.missingActivation(hook: hook.name) }
        return t
    }
}

import Foundation

/// Why a model or a prompt cannot be used, with where and what, in one line.
public enum ModelError: Error, CustomStringConvertible, LocalizedError, Equatable {
    case unknownModelType(file: String, modelType: String)
    case badConfig(file: String, key: String, problem: String)
    case missingTensor(folder: String, tensor: String)
    case wrongShape(folder: String, tensor: String, expected: [Int], found: [Int])
    case blockBeyondLayerCount(folder: String, tensor: String, layers: Int)
    case emptyPrompt
    case promptTooLong(tokens: Int, context: Int)
    case tokenOutOfRange(token: Int, vocabSize: Int)
    case tokenTypesMismatch(tokens: Int, tokenTypes: Int)
    case notASentenceEncoder(folder: String)
    case tokenTypeOutOfRange(tokenType: Int, types: Int)
    case cancelled
    case nonFiniteValues(hook: String, folder: String)
    case nonFiniteWeight(weight: String, folder: String, analysis: String)
    /// A toy model's input value (feature `feature`, 0-based) is NaN or ±∞, or overflows float32.
    case toyInputNotFinite(feature: Int, text: String, overflows: Bool)
    case unsupportedRopeScaling(file: String, ropeType: String)

    /// Every `model_type` a folder's config.json may name.
    static var supportedModelTypes: [String] { TransformerConfig.transformerModelTypeNames + [ToySuperpositionModel.modelType] }

    public var description: String {
        switch self {
        case .unknownModelType(let file, let type):
            return "\(file): unknown model_type '\(type)' (supported: \(Self.supportedModelTypes.joined(separator: ", ")))"
        case .badConfig(let file, let key, let problem):
            return "\(file): '\(key)' \(problem)"
        case .missingTensor(let folder, let tensor):
            return "\(folder): the weights have no tensor '\(tensor)'"
        case .wrongShape(let folder, let tensor, let expected, let found):
            return "\(folder): tensor '\(tensor)' has shape \(found), the config implies \(expected)"
        case .blockBeyondLayerCount(let folder, let tensor, let layers):
            return "\(folder): tensor '\(tensor)' belongs to a block beyond the \(layers) layer\(layers == 1 ? "" : "s") "
                + "the config declares: the config contradicts the weights (fix its layer count)"
        case .unsupportedRopeScaling(let file, let type):
            return "\(file): rope scaling type '\(type)' is not supported (supported: default, llama3)"
        case .emptyPrompt:
            return "the prompt is empty: give some text to run"
        case .promptTooLong(let tokens, let context):
            return "the prompt is \(tokens) tokens, longer than the model's context of \(context) (n_positions): shorten it"
        case .tokenOutOfRange(let token, let vocab):
            return "token id \(token) is outside the vocabulary of \(vocab)"
        case .notASentenceEncoder(let folder):
            return "\(folder) is not a sentence-transformers folder (no modules.json with a Pooling module), so it has no sentence embedding"
        case .tokenTypesMismatch(let tokens, let types):
            return "\(types) token types were given for \(tokens) tokens: give one per token"
        case .tokenTypeOutOfRange(let type, let types):
            return "token type \(type) is outside the model's \(types) token types (0..<\(types))"
        case .cancelled:
            return "the computation was cancelled"
        case .toyInputNotFinite(let feature, let text, let overflows):
            return "input value \(feature + 1) (feature \(feature)) '\(text)' "
                + (overflows ? "overflows float32 (largest \(Float.greatestFiniteMagnitude))" : "is not a finite number")
                + ": give finite numbers"
        case .nonFiniteWeight(let weight, let folder, let analysis):
            return "\(weight) holds non-finite values (model \(folder)): \(analysis) cannot be computed from it"
        case .nonFiniteValues(let hook, let folder):
            return "non-finite values first appear at \(hook) (model \(folder)); the numbers that depend on them "
                + "are printed as nan (null in JSON)"
        }
    }

    public var errorDescription: String? { description }
}

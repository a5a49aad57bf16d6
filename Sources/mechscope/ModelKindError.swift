/// A command given the wrong kind of model, in one line that says which command fits.
enum ModelKindError: Error, CustomStringConvertible {
    case benchNeedsTransformer(folder: String)
    case featuresNeedsToyModel
    case unmetNeed(command: String, need: ModelNeed, folder: String, modelType: String)

    var description: String {
        switch self {
        case .benchNeedsTransformer(let folder):
            return "bench times a transformer's forward pass; \(folder) is a toy superposition model "
                + "(model_type toy_superposition): use 'mechscope features' or 'mechscope run' on it"
        case .unmetNeed(let command, let need, let folder, let type):
            let encoder = "use 'mechscope run', 'dump --hook all' or 'similarity' on it"
            switch need {
            case .lmHead:
                return "'\(command)' reads next-token logits, and \(folder) (\(type)) has no LM head: \(encoder)"
            case .causalAttention:
                return "'\(command)' assumes causal attention, and \(folder) (\(type)) attends in both directions: \(encoder)"
            }
        case .featuresNeedsToyModel:
            return "'features' reads toy superposition models (model_type toy_superposition); "
                + "for a transformer's neurons use 'mechscope dla --per neuron'"
        }
    }
}

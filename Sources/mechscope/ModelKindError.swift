/// A command given the wrong kind of model, in one line that says which command fits.
enum ModelKindError: Error, CustomStringConvertible {
    case benchNeedsTransformer(folder: String)
    case featuresNeedsToyModel

    var description: String {
        switch self {
        case .benchNeedsTransformer(let folder):
            return "bench times a transformer's forward pass; \(folder) is a toy superposition model "
                + "(model_type toy_superposition): use 'mechscope features' or 'mechscope run' on it"
        case .featuresNeedsToyModel:
            return "'features' reads toy superposition models (model_type toy_superposition); "
                + "for a transformer's neurons use 'mechscope dla --per neuron'"
        }
    }
}

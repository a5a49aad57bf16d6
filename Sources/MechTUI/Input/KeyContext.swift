/// Where a binding applies: everywhere, in the navigator, in one page, or while editing a line.
public enum KeyContext: String, Hashable, Sendable, CaseIterable {
    case global, navigator, atlas, layer, head, neurons, neuron, lens, logits, attribution, embed, finalNorm, ablations
    case patching
    case fourier, features
    case lineEditor
    case help

    /// The title of the context in the `?` help.
    public var title: String {
        switch self {
        case .global: return "Everywhere"
        case .navigator: return "Navigator"
        case .atlas: return "Head atlas"
        case .layer: return "Layer heads"
        case .head: return "Attention head"
        case .neurons: return "MLP neurons"
        case .neuron: return "Neuron"
        case .lens: return "Residual stream / logit lens"
        case .logits: return "Next token"
        case .attribution: return "Direct logit attribution"
        case .embed: return "Embedding"
        case .finalNorm: return "Final norm"
        case .ablations: return "Ablations"
        case .patching: return "Activation patching"
        case .fourier: return "Fourier (modular addition)"
        case .features: return "Features (toy superposition model)"
        case .lineEditor: return "Prompt and command line"
        case .help: return "Help"
        }
    }
}

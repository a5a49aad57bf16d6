/// What the main view shows.
public enum Page: Hashable, Sendable {
    case atlas
    case layer(Int)
    case head(layer: Int, head: Int)
    case neurons(layer: Int)
    case neuron(layer: Int, neuron: Int)
    case lens
    case logits
    case attribution
    case embed
    case finalNorm
    case ablations
    /// Activation patching between the clean and the corrupted prompt.
    case patching
    /// A modular-addition model's Fourier story (`mechscope_story`).
    case fourier
    /// A toy superposition model's features.
    case features

    /// The keymap context of the page.
    public var context: KeyContext {
        switch self {
        case .atlas: return .atlas
        case .layer: return .layer
        case .head: return .head
        case .neurons: return .neurons
        case .neuron: return .neuron
        case .lens: return .lens
        case .logits: return .logits
        case .attribution: return .attribution
        case .embed: return .embed
        case .finalNorm: return .finalNorm
        case .ablations: return .ablations
        case .patching: return .patching
        case .fourier: return .fourier
        case .features: return .features
        }
    }

    /// The page's name in the title and the jump list.
    public var title: String {
        switch self {
        case .atlas: return "Head atlas"
        case .layer(let l): return "Layer \(l) heads"
        case .head(let l, let h): return "Head L\(l)H\(h)"
        case .neurons(let l): return "Layer \(l) MLP neurons"
        case .neuron(let l, let n): return "Neuron L\(l)N\(n)"
        case .lens: return "Logit lens"
        case .logits: return "Next token"
        case .attribution: return "Direct logit attribution"
        case .embed: return "Tokens and embeddings"
        case .finalNorm: return "Final norm"
        case .ablations: return "Ablations"
        case .patching: return "Activation patching"
        case .fourier: return "Fourier"
        case .features: return "Features"
        }
    }

    /// Why the page does not apply to `model`, in one line; nil when it does. An encoder has no LM
    /// head, so the pages that read next-token logits (and ablation and patching, scored by them) say so.
    public func inapplicability(to model: ModelSummary) -> String? {
        guard !model.isToy, !model.hasLMHead else { return nil }
        switch self {
        case .lens, .logits, .attribution, .finalNorm, .ablations, .patching:
            return "\(title) does not apply: a \(model.modelType) encoder has no LM head (no next-token logits)"
        default: return nil
        }
    }

    /// The layer the page belongs to, if any (where `n` and `H` go).
    public var layer: Int? {
        switch self {
        case .layer(let l), .head(let l, _), .neurons(let l), .neuron(let l, _): return l
        default: return nil
        }
    }
}

/// Which pane has the keyboard.
public enum Pane: Sendable { case navigator, main }

/// One entry of a residual-stream stack: an accumulated state (logit lens), a component's write
/// (decomposition), a single head, a layer's attention bias, or an MLP neuron. Labels are
/// TransformerLens's (`0_pre`, `1_mid`, `final_post`, `embed`, `0_attn_out`, `L1H3`, `L0N12`), so
/// lists line up with what researchers see in `accumulated_resid` / `decompose_resid` /
/// `stack_head_results` / `stack_neuron_results`.
public enum ResidualComponent: Hashable, Sendable, CustomStringConvertible {
    /// blocks.L.hook_resid_pre: everything written before layer L.
    case residPre(Int)
    /// blocks.L.hook_resid_mid: resid_pre plus layer L's attention.
    case residMid(Int)
    /// The last block's resid_post: what the final LayerNorm and unembedding read.
    case finalPost
    case embed
    case posEmbed
    case attnOut(Int)
    case mlpOut(Int)
    /// One head's write z_h·W_O[h] (processed weights: value bias excluded, see ResidualDecomposition).
    case head(layer: Int, head: Int)
    /// A layer's attention output bias b_O, which under processed weights also holds the value biases.
    case attnBias(Int)
    /// One MLP neuron's write post[n]·W_out[n].
    case neuron(layer: Int, neuron: Int)
    /// What a partial decomposition leaves out (TransformerLens's "remainder").
    case remainder

    /// TransformerLens's label for this entry.
    public var label: String {
        switch self {
        case .residPre(let l): return "\(l)_pre"
        case .residMid(let l): return "\(l)_mid"
        case .finalPost: return "final_post"
        case .embed: return "embed"
        case .posEmbed: return "pos_embed"
        case .attnOut(let l): return "\(l)_attn_out"
        case .mlpOut(let l): return "\(l)_mlp_out"
        case .head(let l, let h): return "L\(l)H\(h)"
        case .attnBias(let l): return "\(l)_attn_bias"
        case .neuron(let l, let n): return "L\(l)N\(n)"
        case .remainder: return "remainder"
        }
    }

    /// The block the entry belongs to, when it belongs to one.
    public var layer: Int? {
        switch self {
        case .residPre(let l), .residMid(let l), .attnOut(let l), .mlpOut(let l), .attnBias(let l):
            return l
        case .head(let l, _), .neuron(let l, _):
            return l
        case .finalPost, .embed, .posEmbed, .remainder:
            return nil
        }
    }

    public var description: String { label }
}

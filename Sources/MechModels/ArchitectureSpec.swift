import Foundation
import MechTensor

/// What a transformer is made of, as data: the forward pass, the hook list, the analyses and the
/// explorer read this instead of assuming GPT-2. Each family's config reader
/// (TransformerConfig+JSON.swift and the family files beside it) fills one in. Decoders are pre-LN,
/// causal and end in a final norm and an LM head; a BERT encoder is post-LN, bidirectional, adds
/// token-type embeddings and normalises them, and has neither.
public struct ArchitectureSpec: Sendable, Equatable {
    public var normalization: Normalization
    public var positions: PositionEncoding
    public var attention: AttentionSpec
    public var mlp: MLPSpec
    /// GPT-NeoX's `use_parallel_residual`: resid_post = resid_pre + attn(ln1(x)) + mlp(ln2(x)),
    /// with no resid_mid.
    public var parallelAttentionMLP: Bool
    /// Whether the unembedding is the token embedding matrix (GPT-2's `lm_head` tied to `wte`).
    public var tiedEmbeddings: Bool
    /// Where each block's norms sit (pre-LN decoders, post-LN BERT).
    public var blockNorm: BlockNormPlacement
    /// What is added to the token embeddings besides positions, and whether the sum is normalised.
    public var embeddings: EmbeddingSpec
    /// Whether a final norm (ln_final) precedes the unembedding.
    public var finalNorm: Bool
    /// Whether the model ends in an LM head (an unembedding to vocabulary logits). Encoders read as
    /// `BertModel` (sentence embedders) have none: the last block's output is the result.
    public var lmHead: Bool

    public init(normalization: Normalization, positions: PositionEncoding, attention: AttentionSpec,
                mlp: MLPSpec, parallelAttentionMLP: Bool = false, tiedEmbeddings: Bool,
                blockNorm: BlockNormPlacement = .preLN, embeddings: EmbeddingSpec = .decoder,
                finalNorm: Bool? = nil, lmHead: Bool = true) {
        self.normalization = normalization
        self.positions = positions
        self.attention = attention
        self.mlp = mlp
        self.parallelAttentionMLP = parallelAttentionMLP
        self.tiedEmbeddings = tiedEmbeddings
        self.blockNorm = blockNorm
        self.embeddings = embeddings
        self.finalNorm = finalNorm ?? normalization.exists
        self.lmHead = lmHead
    }

    /// A BERT-style encoder: bidirectional attention read without an LM head (TransformerLens's
    /// HookedEncoder), whose hooks are named as that class names them.
    public var isEncoder: Bool { !attention.causal }

    /// One line per property that sets an encoder apart, for `info`.
    public var encoderSummary: String {
        var parts = ["bidirectional attention", blockNorm == .postLN ? "post-LN blocks" : "pre-LN blocks"]
        if embeddings.tokenTypes > 0 { parts.append("\(embeddings.tokenTypes) token types") }
        if embeddings.layerNorm { parts.append("embedding LayerNorm") }
        parts.append(finalNorm ? "final norm" : "no final norm")
        parts.append(lmHead ? "LM head" : "no LM head")
        return parts.joined(separator: ", ")
    }
}

/// Where a block normalises: pre-LN blocks normalise the input of attention and of the MLP
/// (resid_post = resid_mid + MLP(LN2(resid_mid))); post-LN blocks (BERT) normalise after each
/// residual add: resid_mid = resid_pre + Attn(resid_pre), resid_post = LN1(resid_mid) +
/// MLP(LN1(resid_mid)), and the block's output is LN2(resid_post) — TransformerLens's BertBlock,
/// whose ln1 is the attention output's LayerNorm and ln2 the MLP output's.
public enum BlockNormPlacement: String, Sendable, Equatable {
    case preLN = "pre-LN"
    case postLN = "post-LN"
}

/// The embedding stage: word (and learned position) embeddings, plus for BERT token-type
/// embeddings and a LayerNorm over the sum (TransformerLens's BertEmbed).
public struct EmbeddingSpec: Sendable, Equatable {
    /// Rows of the token-type table (BERT's `type_vocab_size`); 0 when there is none.
    public var tokenTypes: Int
    /// Whether the summed embeddings go through a LayerNorm (the block normalisation's kind and ε).
    public var layerNorm: Bool

    public init(tokenTypes: Int, layerNorm: Bool) {
        self.tokenTypes = tokenTypes
        self.layerNorm = layerNorm
    }

    public static let decoder = EmbeddingSpec(tokenTypes: 0, layerNorm: false)
}

/// The pre-block and final normalisation (pre-LN everywhere).
public struct Normalization: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// (x − μ)/√(var + ε)·w + b; `bias` false for LayerNorms without one (then b = 0).
        case layerNorm = "LayerNorm"
        case layerNormWithoutBias = "LayerNorm (no bias)"
        /// x/√(mean(x²) + ε)·w (Llama family).
        case rmsNorm = "RMSNorm"
        case none = "none"
    }

    public var kind: Kind
    public var epsilon: Float

    public init(_ kind: Kind, epsilon: Float) {
        self.kind = kind
        self.epsilon = epsilon
    }

    public static let none = Normalization(.none, epsilon: 0)

    public var exists: Bool { kind != .none }
    /// Whether normalising subtracts the mean (LayerNorm): analyses centre what writes to the
    /// residual stream only then, as TransformerLens does.
    public var centres: Bool { kind == .layerNorm || kind == .layerNormWithoutBias }

    /// hook_normalized and hook_scale for rows of `x` ([rows, d] and [rows, 1]).
    public func normalize(_ x: Tensor) -> LayerNormResult {
        switch kind {
        case .layerNorm, .layerNormWithoutBias: return LayerNorm.normalize(x, epsilon: epsilon)
        case .rmsNorm: return RMSNorm.normalize(x, epsilon: epsilon)
        case .none: return LayerNormResult(normalized: x, scale: Tensor(repeating: 1, shape: [x.shape.first ?? 0, 1]))
        }
    }

    public var description: String { kind == .none ? "no normalization" : "\(kind.rawValue) (eps \(epsilon))" }
}

/// How positions enter the model.
public enum PositionEncoding: Sendable, Equatable {
    /// A learned table W_pos [n_ctx, d_model] added to the embeddings (hook_pos_embed).
    case learned
    /// Rotary embeddings applied to queries and keys inside attention (hook_rot_q / hook_rot_k).
    case rotary(RotarySpec)
    /// No positional information besides the causal mask.
    case none

    public var rotary: RotarySpec? {
        if case .rotary(let r) = self { return r }
        return nil
    }

    public var isLearned: Bool { self == .learned }

    public var description: String {
        switch self {
        case .learned: return "learned positions"
        case .none: return "no positions"
        case .rotary(let r):
            return "rotary (theta \(r.theta), \(r.dims) dims\(r.llama3 == nil ? "" : ", llama3 scaling"))"
        }
    }
}

/// Rotary position embedding (rotate-half convention, as Hugging Face's Llama and GPT-NeoX and
/// TransformerLens's default): the first `dims` dimensions of each head rotate, the rest pass.
public struct RotarySpec: Sendable, Equatable {
    public var theta: Double
    /// Rotated dimensions per head (d_head · partial rotary fraction, even).
    public var dims: Int
    public var llama3: Llama3RopeScaling?

    public init(theta: Double, dims: Int, llama3: Llama3RopeScaling? = nil) {
        self.theta = theta
        self.dims = dims
        self.llama3 = llama3
    }

    /// The rotation frequency of each pair i < dims/2: θ^(−2i/dims), rescaled for Llama 3.
    public var inverseFrequencies: [Double] {
        let half = dims / 2
        let base = (0..<half).map { 1 / pow(theta, Double(2 * $0) / Double(dims)) }
        guard let s = llama3 else { return base }
        return base.map { s.rescale($0) }
    }
}

/// Llama 3's `rope_scaling` of type "llama3": long wavelengths slowed by `factor`, short ones kept,
/// a smooth blend in between (transformers' `_compute_llama3_parameters`).
public struct Llama3RopeScaling: Sendable, Equatable {
    public var factor: Double
    public var lowFrequencyFactor: Double
    public var highFrequencyFactor: Double
    public var originalContext: Double

    public init(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalContext: Double) {
        self.factor = factor
        self.lowFrequencyFactor = lowFrequencyFactor
        self.highFrequencyFactor = highFrequencyFactor
        self.originalContext = originalContext
    }

    func rescale(_ inverseFrequency: Double) -> Double {
        let lowWavelength = originalContext / lowFrequencyFactor
        let highWavelength = originalContext / highFrequencyFactor
        let wavelength = 2 * Double.pi / inverseFrequency
        if wavelength > lowWavelength { return inverseFrequency / factor }
        if wavelength < highWavelength { return inverseFrequency }
        let smooth = (originalContext / wavelength - lowFrequencyFactor) / (highFrequencyFactor - lowFrequencyFactor)
        return (1 - smooth) * inverseFrequency / factor + smooth * inverseFrequency
    }
}

/// Self-attention's shape and direction.
public struct AttentionSpec: Sendable, Equatable {
    public var nHeads: Int
    /// Key/value heads (grouped-query attention when < nHeads): query head h reads kv head
    /// h / (nHeads / nKVHeads), as `repeat_interleave` does.
    public var nKVHeads: Int
    public var dHead: Int
    /// Whether the checkpoint has q/k/v biases (absent ones are zero).
    public var qkvBias: Bool
    public var outBias: Bool
    /// Whether a query sees only itself and earlier positions (decoders); false for bidirectional
    /// encoders, where every query sees every key.
    public var causal: Bool

    public init(nHeads: Int, nKVHeads: Int, dHead: Int, qkvBias: Bool, outBias: Bool, causal: Bool = true) {
        self.nHeads = nHeads
        self.nKVHeads = nKVHeads
        self.dHead = dHead
        self.qkvBias = qkvBias
        self.outBias = outBias
        self.causal = causal
    }

    /// Query heads per key/value head.
    public var groupSize: Int { nHeads / nKVHeads }
}

/// The MLP: plain (post = act(x·W_in + b_in)) or gated (post = act(x·W_gate)·(x·W_in), SwiGLU/GeGLU).
public struct MLPSpec: Sendable, Equatable {
    public var gated: Bool
    public var activation: Activation
    public var bias: Bool

    public init(gated: Bool, activation: Activation, bias: Bool) {
        self.gated = gated
        self.activation = activation
        self.bias = bias
    }

    public var description: String { gated ? "gated \(activation.rawValue) MLP" : "\(activation.rawValue) MLP" }
}

/// A named place in the forward pass, spelled as TransformerLens spells it
/// (`blocks.0.attn.hook_pattern`), so researchers can use the names they already know.
public enum HookPoint: Hashable, Sendable, CustomStringConvertible {
    case embed                       // hook_embed            [pos, d_model]
    case posEmbed                    // hook_pos_embed        [pos, d_model]
    case residPre(Int)               // blocks.L.hook_resid_pre
    case ln1Scale(Int)               // blocks.L.ln1.hook_scale       [pos, 1]
    case ln1Normalized(Int)          // blocks.L.ln1.hook_normalized  [pos, d_model]
    case q(Int), k(Int), v(Int)      // blocks.L.attn.hook_q|k|v      [pos, head, d_head] (k, v: kv heads)
    case rotQ(Int), rotK(Int)        // blocks.L.attn.hook_rot_q|k    [pos, head, d_head] after rotary
    case attnScores(Int)             // blocks.L.attn.hook_attn_scores [head, query, key]
    case pattern(Int)                // blocks.L.attn.hook_pattern     [head, query, key]
    case z(Int)                      // blocks.L.attn.hook_z           [pos, head, d_head]
    case result(Int)                 // blocks.L.attn.hook_result      [pos, head, d_model] (on demand)
    case attnOut(Int)                // blocks.L.hook_attn_out
    case residMid(Int)               // blocks.L.hook_resid_mid
    case ln2Scale(Int)               // blocks.L.ln2.hook_scale
    case ln2Normalized(Int)          // blocks.L.ln2.hook_normalized
    case mlpPre(Int)                 // blocks.L.mlp.hook_pre          [pos, d_mlp] (x·W_gate when gated)
    case mlpPreLinear(Int)           // blocks.L.mlp.hook_pre_linear   [pos, d_mlp] (x·W_in, gated MLPs)
    case mlpPost(Int)                // blocks.L.mlp.hook_post         [pos, d_mlp]
    case mlpOut(Int)                 // blocks.L.hook_mlp_out
    case residPost(Int)              // blocks.L.hook_resid_post
    case lnFinalScale                // ln_final.hook_scale
    case lnFinalNormalized           // ln_final.hook_normalized
    // Encoders (TransformerLens's HookedEncoder, BertEmbed and BertBlock):
    case encoderEmbed                // embed.hook_embed              [pos, d_model] word embeddings
    case encoderPosEmbed             // embed.hook_pos_embed          [pos, d_model]
    case tokenTypeEmbed              // embed.hook_token_type_embed   [pos, d_model]
    case embedLNScale                // embed.ln.hook_scale           [pos, 1]
    case embedLNNormalized           // embed.ln.hook_normalized      [pos, d_model]
    case fullEmbed                   // hook_full_embed               [pos, d_model] the embedding LayerNorm's output
    case normalizedResidPost(Int)    // blocks.L.hook_normalized_resid_post [pos, d_model] the block's output

    /// The hooks outside the blocks, by name.
    private static let globalNames: [(String, HookPoint)] = [
        ("hook_embed", .embed), ("hook_pos_embed", .posEmbed),
        ("ln_final.hook_scale", .lnFinalScale), ("ln_final.hook_normalized", .lnFinalNormalized),
        ("embed.hook_embed", .encoderEmbed), ("embed.hook_pos_embed", .encoderPosEmbed),
        ("embed.hook_token_type_embed", .tokenTypeEmbed), ("embed.ln.hook_scale", .embedLNScale),
        ("embed.ln.hook_normalized", .embedLNNormalized), ("hook_full_embed", .fullEmbed),
    ]

    private static let blockSuffixes: [(String, (Int) -> HookPoint)] = [
        ("hook_resid_pre", HookPoint.residPre), ("ln1.hook_scale", HookPoint.ln1Scale),
        ("ln1.hook_normalized", HookPoint.ln1Normalized), ("attn.hook_q", HookPoint.q),
        ("attn.hook_k", HookPoint.k), ("attn.hook_v", HookPoint.v),
        ("attn.hook_rot_q", HookPoint.rotQ), ("attn.hook_rot_k", HookPoint.rotK),
        ("attn.hook_attn_scores", HookPoint.attnScores), ("attn.hook_pattern", HookPoint.pattern),
        ("attn.hook_z", HookPoint.z), ("attn.hook_result", HookPoint.result),
        ("hook_attn_out", HookPoint.attnOut), ("hook_resid_mid", HookPoint.residMid),
        ("ln2.hook_scale", HookPoint.ln2Scale), ("ln2.hook_normalized", HookPoint.ln2Normalized),
        ("mlp.hook_pre", HookPoint.mlpPre), ("mlp.hook_pre_linear", HookPoint.mlpPreLinear),
        ("mlp.hook_post", HookPoint.mlpPost),
        ("hook_mlp_out", HookPoint.mlpOut), ("hook_resid_post", HookPoint.residPost),
        ("hook_normalized_resid_post", HookPoint.normalizedResidPost),
    ]

    /// Parses a TransformerLens hook name; nil for names that are not hooks.
    public init?(name: String) {
        if let global = Self.globalNames.first(where: { $0.0 == name }) { self = global.1; return }
        let parts = name.split(separator: ".", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "blocks", let layer = Int(parts[1]), layer >= 0,
              let make = Self.blockSuffixes.first(where: { $0.0 == parts[2] })?.1 else { return nil }
        self = make(layer)
    }

    /// The block this hook belongs to, or nil for embeddings and the final LayerNorm.
    public var layer: Int? {
        switch self {
        case .embed, .posEmbed, .lnFinalScale, .lnFinalNormalized, .encoderEmbed, .encoderPosEmbed,
             .tokenTypeEmbed, .embedLNScale, .embedLNNormalized, .fullEmbed:
            return nil
        case .residPre(let l), .ln1Scale(let l), .ln1Normalized(let l), .q(let l), .k(let l), .v(let l),
             .rotQ(let l), .rotK(let l), .mlpPreLinear(let l),
             .attnScores(let l), .pattern(let l), .z(let l), .result(let l), .attnOut(let l),
             .residMid(let l), .ln2Scale(let l), .ln2Normalized(let l), .mlpPre(let l), .mlpPost(let l),
             .mlpOut(let l), .residPost(let l), .normalizedResidPost(let l):
            return l
        }
    }

    public var name: String {
        guard let layer else { return Self.globalNames.first { $0.1 == self }!.0 }
        let suffix = Self.blockSuffixes.first { $0.1(layer) == self }!.0
        return "blocks.\(layer).\(suffix)"
    }

    public var description: String { name }

    /// Every hook a forward pass of this shape produces, in execution order (hook_result excluded:
    /// it is computed on demand from hook_z).
    public static func all(layers: Int, attnOnly: Bool, hasLayerNorm: Bool) -> [HookPoint] {
        all(layers: layers, attnOnly: attnOnly, hasLayerNorm: hasLayerNorm, learnedPositions: true,
            rotary: false, gatedMLP: false, parallel: false)
    }

    /// Every hook a forward pass of this config produces, in execution order (hook_result excluded).
    public static func all(for c: TransformerConfig) -> [HookPoint] {
        let a = c.architecture
        let embeddings = embeddingHooks(a)
        if a.blockNorm == .postLN {
            return embeddings + (0..<c.nLayers).flatMap { l -> [HookPoint] in
                [.residPre(l), .q(l), .k(l), .v(l)] + (a.positions.rotary != nil ? [.rotQ(l), .rotK(l)] : [])
                    + [.attnScores(l), .pattern(l), .z(l), .attnOut(l), .residMid(l), .ln1Scale(l), .ln1Normalized(l)]
                    + (a.mlp.gated ? [.mlpPre(l), .mlpPreLinear(l)] : [.mlpPre(l)])
                    + [.mlpPost(l), .mlpOut(l), .residPost(l), .ln2Scale(l), .ln2Normalized(l), .normalizedResidPost(l)]
            }
        }
        let blocks = all(layers: c.nLayers, attnOnly: c.attnOnly, hasLayerNorm: c.hasLayerNorm,
                         learnedPositions: a.positions.isLearned, rotary: a.positions.rotary != nil,
                         gatedMLP: a.mlp.gated, parallel: a.parallelAttentionMLP, finalNorm: a.finalNorm)
        return embeddings + blocks.drop(while: { $0 == .embed || $0 == .posEmbed })
    }

    /// The embedding stage's hooks: GPT-2's hook_embed (and hook_pos_embed), or BertEmbed's.
    static func embeddingHooks(_ a: ArchitectureSpec) -> [HookPoint] {
        guard a.embeddings.layerNorm else { return a.positions.isLearned ? [.embed, .posEmbed] : [.embed] }
        return [.encoderEmbed] + (a.positions.isLearned ? [.encoderPosEmbed] : [])
            + (a.embeddings.tokenTypes > 0 ? [.tokenTypeEmbed] : []) + [.embedLNScale, .embedLNNormalized, .fullEmbed]
    }

    static func all(layers: Int, attnOnly: Bool, hasLayerNorm: Bool, learnedPositions: Bool, rotary: Bool,
                    gatedMLP: Bool, parallel: Bool, finalNorm: Bool? = nil) -> [HookPoint] {
        var hooks: [HookPoint] = learnedPositions ? [.embed, .posEmbed] : [.embed]
        for l in 0..<layers {
            hooks.append(.residPre(l))
            if hasLayerNorm { hooks += [.ln1Scale(l), .ln1Normalized(l)] }
            hooks += [.q(l), .k(l), .v(l)]
            if rotary { hooks += [.rotQ(l), .rotK(l)] }
            hooks += [.attnScores(l), .pattern(l), .z(l), .attnOut(l)]
            if !attnOnly {
                if !parallel { hooks.append(.residMid(l)) }
                if hasLayerNorm { hooks += [.ln2Scale(l), .ln2Normalized(l)] }
                hooks += gatedMLP ? [.mlpPre(l), .mlpPreLinear(l), .mlpPost(l), .mlpOut(l)]
                                  : [.mlpPre(l), .mlpPost(l), .mlpOut(l)]
            }
            hooks.append(.residPost(l))
        }
        if finalNorm ?? hasLayerNorm { hooks += [.lnFinalScale, .lnFinalNormalized] }
        return hooks
    }
}

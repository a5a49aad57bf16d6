import MechModels

/// Which activation a patching sweep patches, one run per cell, as TransformerLens's
/// `transformer_lens.patching` functions do.
public enum PatchingTarget: String, CaseIterable, Sendable {
    /// `blocks.L.hook_resid_pre` at one position ([layer, pos]; `get_act_patch_resid_pre`).
    case residPre = "resid_pre"
    /// `blocks.L.hook_attn_out` at one position ([layer, pos]; `get_act_patch_attn_out`).
    case attnOut = "attn_out"
    /// `blocks.L.hook_mlp_out` at one position ([layer, pos]; `get_act_patch_mlp_out`).
    case mlpOut = "mlp_out"
    /// One head's `blocks.L.attn.hook_z` at every position ([layer, head];
    /// `get_act_patch_attn_head_out_all_pos`).
    case heads

    /// Whether the grid's second axis is positions (else heads).
    public var isPerPosition: Bool { self != .heads }

    /// The hook this target patches in block `layer`.
    public func hook(layer: Int) -> HookPoint {
        switch self {
        case .residPre: return .residPre(layer)
        case .attnOut: return .attnOut(layer)
        case .mlpOut: return .mlpOut(layer)
        case .heads: return .z(layer)
        }
    }
}

/// Which run is patched with which run's activations. Either way the grid holds TransformerLens's
/// normalised metric (patched − corrupted) / (clean − corrupted) of the logit difference.
public enum PatchingDirection: String, CaseIterable, Sendable {
    /// The CORRUPTED prompt runs and CLEAN activations are patched in, as TransformerLens's
    /// `get_act_patch_*` do: a cell near 1 is an activation that restores the clean behaviour.
    case denoising
    /// The CLEAN prompt runs and CORRUPTED activations are patched in: a cell near 0 is an
    /// activation whose corruption alone destroys the clean behaviour (1 = no effect).
    case noising
}

/// Which patched runs a sweep can skip or shorten, from the prompts' shared tokens.
///
/// In a causal model, positions before the first differing token see identical tokens, so every
/// activation there is the same in both runs (the same numbers in Mechscope's deterministic forward
/// pass) and patching one changes nothing: the result is the unpatched run's metric, with no
/// forward pass. The same holds for `hook_resid_pre` of block 0 (token + position embedding) at any
/// position where the tokens agree, and for the last block's `hook_attn_out` and `hook_mlp_out`
/// at any position but the last, which nothing downstream of them reads before the metric's
/// logits. A patch at position p can only change positions ≥ p, so its run resumes from the
/// unpatched run's cache at p (`Transformer.resume`).
public struct PrefixCachePlan: Sendable, Equatable {
    /// The first position whose tokens differ (the token count when the prompts are identical).
    public let firstDifference: Int
    /// Whether the tokens at each position agree.
    public let agreeing: [Bool]
    /// Blocks in the model.
    public let layers: Int

    public init(clean: [Int], corrupted: [Int], layers: Int) {
        agreeing = zip(clean, corrupted).map { $0 == $1 }
        firstDifference = agreeing.firstIndex(of: false) ?? agreeing.count
        self.layers = layers
    }

    /// Whether patching `target` in block `layer` at `column` (a position, or a head for `.heads`)
    /// is known to leave the last position's logits as they are, so the result needs no run.
    public func isNoOp(_ target: PatchingTarget, layer: Int, column: Int) -> Bool {
        guard target.isPerPosition else { return firstDifference == agreeing.count }
        if column < firstDifference { return true }
        switch target {
        case .residPre: return layer == 0 && agreeing[column]
        case .attnOut, .mlpOut: return layer == layers - 1 && column < agreeing.count - 1
        case .heads: return false
        }
    }

    /// The first position the patched run must recompute: the patched position, or for heads
    /// (patched at every position) the first differing one.
    public func resumePosition(_ target: PatchingTarget, column: Int) -> Int {
        target.isPerPosition ? column : firstDifference
    }
}

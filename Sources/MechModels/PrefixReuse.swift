import Foundation
import MechTensor

/// What a pass resumed from an earlier run computed: the positions `position..<T` only.
public struct ResumedForwardResult: @unchecked Sendable {
    /// The first recomputed position.
    public let position: Int
    /// Logits of the recomputed positions [T − position, vocab] ([T − position, 0] when not computed).
    public let logits: Tensor
    /// The unembedding's input for the recomputed positions (the final LayerNorm's output)
    /// [T − position, d_model]: a metric that reads a few logits can take the few unembedding rows
    /// it needs instead of the whole product (`computeLogits: false`).
    public let finalResidual: Tensor
    /// Hooks of the recomputed blocks; row i of a [pos, …] activation is position `position + i`.
    public let cache: ActivationCache
}

/// Why a pass cannot be resumed from a cached run, in one line.
public enum PrefixReuseError: Error, CustomStringConvertible, LocalizedError, Equatable {
    case missingActivation(hook: String)
    case resumePointOutOfRange(layer: Int, position: Int, layers: Int, tokens: Int)
    case editBeforeResumePoint(hook: String, layer: Int)
    case bidirectional(modelType: String)

    public var description: String {
        switch self {
        case .missingActivation(let hook):
            return "the cached run has no \(hook): run it with that hook cached to resume from it"
        case .resumePointOutOfRange(let layer, let position, let layers, let tokens):
            return "cannot resume at block \(layer), position \(position): the model has \(layers) blocks "
                + "and the run \(tokens) positions"
        case .bidirectional(let type):
            return "a \(type) encoder's attention reads later positions too, so a pass cannot resume mid-model from a cached run"
        case .editBeforeResumePoint(let hook, let layer):
            return "an edit at \(hook) would never fire in a pass resumed at block \(layer): resume earlier"
        }
    }

    public var errorDescription: String? { description }
}

/// One block's keys and values for the positions before a resumed pass's first row.
struct CachedKeysValues {
    let keys: Tensor    // [≥ count, kv_head, d_head] (rotated for rotary models)
    let values: Tensor  // [≥ count, kv_head, d_head]
    let count: Int

    func keys(followedBy later: Tensor) -> Tensor { Self.concatenate(keys, count, later) }
    func values(followedBy later: Tensor) -> Tensor { Self.concatenate(values, count, later) }

    /// Rows 0..<count of `cached`, then all rows of `later`: [count + later rows, head, d_head].
    private static func concatenate(_ cached: Tensor, _ count: Int, _ later: Tensor) -> Tensor {
        let row = later.count / max(later.shape[0], 1)
        var shape = later.shape
        shape[0] = count + later.shape[0]
        let out = Tensor(uninitialized: shape)
        out.pointer.update(from: cached.pointer, count: count * row)
        (out.pointer + count * row).update(from: later.pointer, count: later.count)
        return out
    }
}

extension Transformer {
    /// Reruns the forward pass from block `layer` and position `position` on, reusing `base` (a run
    /// on the same tokens) for everything before: its `hook_resid_pre` of block `layer` (rows
    /// `position…`) is the starting residual, and its `hook_k`/`hook_v` of positions before
    /// `position` serve as attention's cached keys and values. Activation patching changes one
    /// position of one block per run, so each patched run costs only the blocks and positions the
    /// patch can reach: a causal model's earlier positions and earlier blocks cannot see it.
    ///
    /// The result equals a full run with the same edits when the edits change nothing before block
    /// `layer` or position `position` (the caller's promise): bit for bit from position 0, where
    /// every product has the full run's shape; from a later position up to float32 rounding, since
    /// OpenBLAS may round a product with fewer rows differently: which kernel and small-matrix
    /// path it takes depends on the matrix height (≤ 2e-6 on logits of order 1 in the tests).
    ///
    /// Edits see the recomputed rows only: row i of every [pos, …] hook is position
    /// `position + i`; attention scores and patterns are [head, query, key] over the recomputed
    /// queries and all keys. `base` must have cached `hook_resid_pre` of block `layer` and, when
    /// `position` > 0, `keyValueHooks` of blocks `layer…`. `shouldContinue` is polled between
    /// blocks; false cancels.
    public func resume(from base: ForwardResult, layer: Int, position: Int, edits: [ActivationEdit] = [],
                       caching: CachePolicy = .none, computeLogits: Bool = true,
                       shouldContinue: () -> Bool = { true }) throws -> ResumedForwardResult {
        guard config.architecture.attention.causal else { throw PrefixReuseError.bidirectional(modelType: config.modelType) }
        let total = base.tokens.count
        guard layer >= 0, layer < config.nLayers, position >= 0, position < total else {
            throw PrefixReuseError.resumePointOutOfRange(layer: layer, position: position,
                                                         layers: config.nLayers, tokens: total)
        }
        if let early = edits.first(where: { ($0.hook.layer ?? -1) < layer && !$0.hook.isAfterBlocks }) {
            throw PrefixReuseError.editBeforeResumePoint(hook: early.hook.name, layer: layer)
        }
        guard let start = base.cache[.residPre(layer)] else {
            throw PrefixReuseError.missingActivation(hook: HookPoint.residPre(layer).name)
        }
        var prefixes: [CachedKeysValues?] = Array(repeating: nil, count: config.nLayers)
        if position > 0 {
            for l in layer..<config.nLayers {
                let (keyHook, valueHook) = keyValueHooks(layer: l)
                guard let k = base.cache[keyHook] else { throw PrefixReuseError.missingActivation(hook: keyHook.name) }
                guard let v = base.cache[valueHook] else { throw PrefixReuseError.missingActivation(hook: valueHook.name) }
                prefixes[l] = CachedKeysValues(keys: k, values: v, count: position)
            }
        }

        var pass = Pass(edits: edits, caching: caching)
        var residual = start.rows(position..<total)
        for l in layer..<config.nLayers {
            guard shouldContinue() else { throw ModelError.cancelled }
            residual = block(l, residual, &pass, prefix: prefixes[l])
        }
        let final = finalLayerNorm(residual, &pass)
        let logits = computeLogits && config.architecture.lmHead ? unembed(final) : Tensor(zeros: [final.shape[0], 0])
        return ResumedForwardResult(position: position, logits: logits, finalResidual: final, cache: pass.cache)
    }
}

extension Transformer {
    /// The hooks a resumed pass reads block `l`'s earlier keys and values from: hook_k (hook_rot_k for
    /// rotary models, which attend with rotated keys) and hook_v.
    public func keyValueHooks(layer l: Int) -> (keys: HookPoint, values: HookPoint) {
        (config.positions.rotary == nil ? .k(l) : .rotK(l), .v(l))
    }
}

extension HookPoint {
    /// Whether the hook fires after every block (the final LayerNorm's).
    var isAfterBlocks: Bool { self == .lnFinalScale || self == .lnFinalNormalized }
}

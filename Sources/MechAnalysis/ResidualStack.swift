import MechModels
import MechTensor

/// A stack of residual-stream vectors at a few positions — accumulated states, per-component,
/// per-head or per-neuron writes — as TransformerLens's `[component, pos, d_model]` stacks, holding
/// only the positions asked for so a viewer can compute exactly what is on screen.
///
/// Values are in the coordinates of TransformerLens's processed model (compatibility mode): with
/// LayerNorm, every write is centred over d_model (`center_writing_weights`), so each entry equals
/// the raw model's activation minus its mean over d_model. `layerNorm` says what was applied after.
public struct ResidualStack: @unchecked Sendable {
    /// What each entry is, in TransformerLens's order.
    public let components: [ResidualComponent]
    /// The absolute token positions, in the order asked for.
    public let positions: [Int]
    /// [component, position index, d_model]
    public let values: Tensor
    /// The final-LayerNorm treatment already applied to `values`.
    public let layerNorm: ResidualLayerNorm

    public init(components: [ResidualComponent], positions: [Int], values: Tensor, layerNorm: ResidualLayerNorm) {
        self.components = components
        self.positions = positions
        self.values = values
        self.layerNorm = layerNorm
    }

    /// TransformerLens's labels (`0_pre`, `L1H3`, …), aligned with `components`.
    public var labels: [String] { components.map(\.label) }

    public var dModel: Int { values.shape[2] }

    /// The vector of entry `component` at the `positionIndex`-th position asked for: a [d_model] view.
    public func vector(_ component: Int, positionIndex: Int) -> Tensor {
        Tensor(shape: [dModel], buffer: values.buffer,
               offset: values.offset + (component * positions.count + positionIndex) * dModel)
    }

    /// Every entry's dot product with `direction` ([d_model]): [component, position index].
    /// With `layerNorm == .cachedFinalScale` and an unembedding direction this is direct logit attribution.
    public func projected(onto direction: Tensor) -> Tensor {
        let rows = components.count * positions.count
        let out = Tensor(zeros: [components.count, positions.count])
        BLAS.gemv(rows: rows, cols: dModel, a: values.pointer, lda: dModel, x: direction.pointer, y: out.pointer)
        return out
    }
}

/// How the final LayerNorm is applied to a stack before it is read against the unembedding.
/// TransformerLens offers both, and the choice changes the numbers:
public enum ResidualLayerNorm: Sendable, Equatable {
    /// Nothing applied: the writes themselves (centred under processed weights).
    case none
    /// `apply_ln_to_stack(..., recompute_ln=False)`: centre each entry over d_model and divide by
    /// the CACHED `ln_final.hook_scale` of its position — the factor the real forward pass used, so
    /// the entries still add up to the final LayerNorm's output. Used for direct logit attribution.
    case cachedFinalScale
    /// `apply_ln_to_stack(..., recompute_ln=True)` at the unembed (TransformerLens 4's
    /// `accumulated_resid(apply_ln=True)`): a fresh LayerNorm per entry, its own mean and scale.
    /// This is nostalgebraist's logit lens; entries no longer add up. With processed weights the
    /// final LayerNorm has no affine part left (folded into W_U, b_U), so this is (x − μ)/√(var + ε).
    case recomputedFinal

    /// Applies this treatment in place to `values` ([component, position index, d_model]) whose
    /// positions are `positions`; models without LayerNorm are left unchanged (as TransformerLens).
    func apply(to values: Tensor, positions: [Int], normalization: Normalization, cache: ActivationCache) throws {
        guard normalization.exists, self != .none else { return }
        let d = values.shape[2], nPos = positions.count
        let rows = values.count / d
        switch self {
        case .none:
            return
        case .cachedFinalScale:
            let scale = try cache.required(.lnFinalScale)              // [pos, 1]
            for r in 0..<rows {
                let p = values.pointer + r * d
                let mean = normalization.centres ? Reduce.sum(p, count: d) / Float(d) : 0
                let inv = 1 / scale.pointer[positions[r % nPos]]
                for i in 0..<d { p[i] = (p[i] - mean) * inv }
            }
        case .recomputedFinal:
            let normalized = normalization.normalize(values.reshaped([rows, d])).normalized
            values.pointer.update(from: normalized.pointer, count: rows * d)
        }
    }
}

import MechModels
import MechTensor

/// Which input of the later head reads the earlier head's output ("A Mathematical Framework for
/// Transformer Circuits"): its queries, its keys, or its values.
public enum CompositionKind: String, CaseIterable, Sendable {
    case query = "Q", key = "K", value = "V"
}

/// Composition scores between every pair of heads in different layers, as TransformerLens's
/// `all_composition_scores(mode)`: for an earlier head's OV circuit L = W_V¹·W_O¹ and the later
/// head's R (Q: W_Q²·W_K²ᵀ, K: (W_Q²·W_K²ᵀ)ᵀ, V: W_V²·W_O²), the score is
/// ‖L·R‖_F / (‖L‖_F·‖R‖_F), on processed weights. Pairs whose earlier layer is not before the
/// later layer are 0 (TransformerLens masks them the same way).
///
/// Computed without forming any d_model × d_model product: each earlier head becomes
/// E [d_head, d_model] with EᵀE = LᵀL = W_Oᵀ(W_VᵀW_V)W_O, each later head F [d_model, d_head]
/// with F·Fᵀ = R·Rᵀ, both from a d_head × d_head Gram eigendecomposition,
/// so ‖L·R‖_F = ‖E·F‖_F, ‖L‖_F = ‖E‖_F and ‖R‖_F = ‖F‖_F; all pairs with one later layer are then
/// one matrix product.
public struct CompositionScores: Sendable {
    public let kind: CompositionKind
    public let layers: Int
    public let heads: Int
    /// Scores [earlier layer, earlier head, later layer, later head], row-major.
    public let values: [Float]

    /// The score of `from` (earlier head) composing into `to` (later head); 0 unless from.layer < to.layer.
    public func score(fromLayer l1: Int, head h1: Int, toLayer l2: Int, head h2: Int) -> Float {
        values[((l1 * heads + h1) * layers + l2) * heads + h2]
    }

    /// All scores for the kinds asked for; the earlier heads' factors are shared between kinds.
    public static func compute(_ weights: ProcessedWeights, kinds: [CompositionKind] = CompositionKind.allCases) throws -> [CompositionScores] {
        let left = try CompositionFactors.left(weights)
        return try kinds.map { kind in
            let right = try CompositionFactors.right(weights, kind: kind)
            return CompositionScores(kind: kind, layers: left.layers, heads: left.heads,
                                     values: pairScores(left: left, right: right))
        }
    }

    /// The scores of every head before `layer` composing into head (layer, head), largest first.
    public static func earlierHeads(composingInto layer: Int, head: Int, kind: CompositionKind,
                                    weights: ProcessedWeights) throws -> [(layer: Int, head: Int, score: Float)] {
        try earlierHeads(composingInto: layer, head: head, kinds: [kind], weights: weights)[0]
    }

    /// The same for several kinds at once (one list per kind, in `kinds` order; an earlier head whose
    /// W_V' or W_O' is not finite scores NaN, last): each earlier head's
    /// factor E [d_head, d_model] is derived once, from its W_V' and W_O' alone, and multiplied
    /// against every kind's factor of the later head; only one head's matrices exist at a time.
    public static func earlierHeads(composingInto layer: Int, head: Int, kinds: [CompositionKind],
                                    weights: ProcessedWeights) throws -> [[(layer: Int, head: Int, score: Float)]] {
        let target = try HeadCircuitWeights(weights, layer: layer, head: head)
        let rights = try kinds.map { try CompositionFactors.rightFactor(of: target, kind: $0) }   // Fᵀ [d_head, d_model]
        let dh = weights.dHead, d = weights.dModel
        var out = [[(layer: Int, head: Int, score: Float)]](repeating: [], count: kinds.count)
        let product = Tensor(uninitialized: [dh, dh])                                          // E·F
        for l in 0..<layer {
            for h in 0..<weights.headCount {
                let (wV, wO) = weights.headValueOutput(layer: l, head: h)
                // An earlier head whose OV circuit is not finite composes with a NaN score (ranked last).
                guard NonFiniteValues.allFinite(wV), NonFiniteValues.allFinite(wO) else {
                    for k in kinds.indices { out[k].append((l, h, .nan)) }
                    continue
                }
                let left = try CompositionFactors.leftFactor(wV: wV, wO: wO)
                for (k, right) in rights.enumerated() {
                    BLAS.gemm(transposeB: true, m: dh, n: dh, k: d, a: left.factor.pointer, lda: d,
                              b: right.factor.pointer, ldb: d, c: product.pointer, ldc: dh)
                    let norm = blockNorm(product.pointer, rows: dh, columns: dh, stride: dh)
                    out[k].append((l, h, Float(norm / (left.norm * right.norm))))
                }
            }
        }
        return out.map { $0.sorted { TopK.ranksAbove($0.score, $1.score) } }
    }

    private static func pairScores(left: CompositionFactors, right: CompositionFactors) -> [Float] {
        let L = left.layers, H = left.heads, dh = left.dHead, d = left.dModel
        var values = [Float](repeating: 0, count: L * H * L * H)
        guard L > 1 else { return values }
        let columns = H * dh
        let product = Tensor(uninitialized: [(L - 1) * H * dh, columns])
        for l2 in 1..<L {
            // E rows of every head in layers < l2 against the F factors of layer l2's heads.
            let rows = l2 * H * dh
            BLAS.gemm(transposeB: true, m: rows, n: columns, k: d, a: left.factors.pointer, lda: d,
                      b: right.factors.pointer + l2 * H * dh * d, ldb: d, c: product.pointer, ldc: columns)
            for i in 0..<(l2 * H) {
                for h2 in 0..<H {
                    let norm = blockNorm(product.pointer + i * dh * columns + h2 * dh, rows: dh, columns: dh, stride: columns)
                    let j = l2 * H + h2
                    values[i * L * H + j] = Float(norm / (left.norms[i] * right.norms[j]))
                }
            }
        }
        return values
    }

    /// √(Σ x²) over a [rows, columns] block with row stride `stride`, in double.
    private static func blockNorm(_ p: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let row = p + r * stride
            var acc: Float = 0
            for c in 0..<columns { acc += row[c] * row[c] }
            total += Double(acc)
        }
        return total.squareRoot()
    }
}

/// The per-head factors the composition scores multiply: rows [head·d_head, d_model] per head,
/// E = Λ^½·Qᵀ·W_O for left (OV) circuits and Fᵀ = Σ^½·Pᵀ·A2ᵀ for right circuits, with their
/// Frobenius norms.
struct CompositionFactors {
    let layers: Int, heads: Int, dHead: Int, dModel: Int
    /// [heads counted, d_head, d_model], heads in (layer, head) order.
    let factors: Tensor
    let norms: [Double]

    /// Left (earlier head) factors E with EᵀE = (W_V·W_O)ᵀ(W_V·W_O) for every head.
    static func left(_ weights: ProcessedWeights) throws -> CompositionFactors {
        try build(weights, layerCount: weights.layerCount) { head in try leftFactor(wV: head.wV, wO: head.wO) }
    }

    /// One earlier head's E [d_head, d_model] from W_V' [d_model, d_head] and W_O' [d_head, d_model].
    static func leftFactor(wV: Tensor, wO: Tensor) throws -> (factor: Tensor, norm: Double) {
        try squareRootFactor(gram: wV.gramOfColumns(), times: wO, transposeOperand: false)
    }

    /// Right (later head) factors Fᵀ with F·Fᵀ = R·Rᵀ for every head.
    static func right(_ weights: ProcessedWeights, kind: CompositionKind) throws -> CompositionFactors {
        try build(weights, layerCount: weights.layerCount) { head in try rightFactor(of: head, kind: kind) }
    }

    /// One later head's Fᵀ [d_head, d_model]: R = A2·B2 with A2 [d_model, d_head]; F = A2·P·Σ^½ where B2·B2ᵀ = PΣPᵀ.
    static func rightFactor(of head: HeadCircuitWeights, kind: CompositionKind) throws -> (factor: Tensor, norm: Double) {
        switch kind {
        case .query: return try squareRootFactor(gram: head.wK.gramOfColumns(), times: head.wQ, transposeOperand: true)
        case .key: return try squareRootFactor(gram: head.wQ.gramOfColumns(), times: head.wK, transposeOperand: true)
        case .value: return try squareRootFactor(gram: head.wO.gramOfRows(), times: head.wV, transposeOperand: true)
        }
    }

    private static func build(_ weights: ProcessedWeights, layerCount: Int,
                              factor: (HeadCircuitWeights) throws -> (factor: Tensor, norm: Double)) throws -> CompositionFactors {
        let H = weights.headCount, d = weights.dModel, dh = weights.dHead
        let all = Tensor(uninitialized: [layerCount * H, dh, d])
        var norms: [Double] = []
        for l in 0..<layerCount {
            let attention = weights.attention(l)                     // one layer's W_Q', W_K', W_V', W_O' at a time
            for h in 0..<H {
                let f = try factor(HeadCircuitWeights(attention, layer: l, head: h))
                (all.pointer + (l * H + h) * dh * d).update(from: f.factor.pointer, count: dh * d)
                norms.append(f.norm)
            }
        }
        return CompositionFactors(layers: weights.layerCount, heads: H, dHead: dh, dModel: d, factors: all, norms: norms)
    }

    /// Given a symmetric PSD Gram G = QΛQᵀ [d_head, d_head] and an operand X, returns
    /// Λ^½·Qᵀ·X (X [d_head, d_model]) or Λ^½·Qᵀ·Xᵀ (X [d_model, d_head], `transposeOperand`),
    /// and the result's Frobenius norm. Tiny negative eigenvalues from rounding count as 0.
    private static func squareRootFactor(gram: Tensor, times x: Tensor, transposeOperand: Bool) throws -> (factor: Tensor, norm: Double) {
        let dh = gram.shape[0], d = transposeOperand ? x.shape[0] : x.shape[1]
        // A head whose weights hold NaN or ±∞ has no factor (LAPACK refuses the Gram): every score it
        // takes part in is nan, and the other heads' scores are still computed.
        guard NonFiniteValues.allFinite(gram), NonFiniteValues.allFinite(x) else {
            return (Tensor(repeating: .nan, shape: [dh, d]), .nan)
        }
        let (values, vectors) = try LAPACK.symmetricEigen(gram)   // row j of vectors = q_j
        let out = Tensor(uninitialized: [dh, d])
        BLAS.gemm(transposeB: transposeOperand, m: dh, n: d, k: dh, a: vectors.pointer, lda: dh,
                  b: x.pointer, ldb: transposeOperand ? dh : d, c: out.pointer, ldc: d)
        var norm2 = 0.0
        for j in 0..<dh {
            let s = Float(max(0, Double(values[j])).squareRoot())
            let row = out.pointer + j * d
            var acc: Float = 0
            for c in 0..<d { row[c] *= s; acc += row[c] * row[c] }
            norm2 += Double(acc)
        }
        return (out, norm2.squareRoot())
    }
}

extension FactoredMatrix {
    /// TransformerLens's `composition_scores(left, right)` for one pair: ‖L·R‖_F / (‖L‖_F·‖R‖_F),
    /// from the factors: ‖A1B1A2B2‖² = Σ (G1·M·G2) ∘ M with M = B1·A2, G1 = A1ᵀA1, G2 = B2B2ᵀ.
    public static func compositionScore(left: FactoredMatrix, right: FactoredMatrix) -> Double {
        precondition(left.columnCount == right.rowCount, "composition needs left [.., n]·right [n, ..], got \(left.shape), \(right.shape)")
        let m = left.b.matmul(right.a)                                     // [m1, m2]
        let x = left.a.gramOfColumns().matmul(m).matmul(right.b.gramOfRows())
        let numerator = traceOfProduct(x, m).squareRoot()
        return numerator / (left.frobeniusNorm() * right.frobeniusNorm())
    }
}

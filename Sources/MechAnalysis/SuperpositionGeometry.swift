import MechModels
import MechTensor

/// How a toy superposition model lays its features out in the hidden space, with the measures
/// of Elhage et al.: which features get a direction of their own and which share.
public struct SuperpositionGeometry: Sendable {
    public struct Feature: Equatable, Sendable {
        public let index: Int
        public let importance: Double?
        /// ‖W_i‖: near 1 when the feature is represented, near 0 when it is dropped.
        public let norm: Float
        /// Σ_{j≠i} (Ŵ_i·W_j)²: 0 when feature i has a dimension to itself.
        public let interference: Float
        /// The paper's feature dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)²
        /// (1 = a dimension of its own, 1/2 = shares one with another feature, 0 = not represented).
        public let dimensionality: Float
        public let bias: Float
    }

    public let features: [Feature]
    /// WᵀW [n_features, n_features]: how much each feature's readout picks up each other feature.
    public let gram: Tensor
    /// Σ_i ‖W_i‖² — the "dimensions used"; above n_hidden only with superposition.
    public let frobeniusNormSquared: Float
    public let nHidden: Int

    /// A feature counts as represented when ‖W_i‖ exceeds this (the paper's rough test).
    public static let representedNorm: Float = 0.5

    /// Features with ‖W_i‖ above `representedNorm`.
    public func representedCount() -> Int { features.filter { $0.norm > Self.representedNorm }.count }

    public init(_ model: ToySuperpositionModel) {
        let n = model.nFeatures
        nHidden = model.nHidden
        gram = model.W.matmul(model.W, transposeSelf: true)  // [n, n]
        var list: [Feature] = []
        var total: Float = 0
        for i in 0..<n {
            let normSquared = gram[i, i]
            total += normSquared
            let norm = normSquared.squareRoot()
            // A non-finite norm or overlap (a NaN in W) makes the measures NaN, never the 0 of an
            // unrepresented feature.
            var interference: Float = norm.isFinite ? 0 : .nan, overlap: Float = norm.isFinite ? 0 : .nan
            if norm.isFinite && norm > 0 {
                for j in 0..<n {
                    let projection = gram[i, j] / norm  // Ŵ_i·W_j
                    overlap += projection * projection
                    if j != i { interference += projection * projection }
                }
            }
            let dimensionality = overlap.isNaN ? Float.nan : overlap > 0 ? normSquared / overlap : 0
            list.append(Feature(index: i, importance: model.importance?[i], norm: norm, interference: interference,
                                dimensionality: dimensionality, bias: model.bFinal[i]))
        }
        features = list
        frobeniusNormSquared = total
    }
}

import MechAnalysis
import MechModels

/// A toy superposition model's feature geometry as the features page draws it: per feature its
/// norm, interference and dimensionality, the Gram matrix WᵀW, and which features share
/// dimensions. Computed once when the model opens (n_features² · n_hidden work).
public struct FeatureMap: Equatable, Sendable {
    public typealias Feature = SuperpositionGeometry.Feature

    public let features: [Feature]
    /// WᵀW [n_features][n_features]: entry (i, j) is W_i·W_j, how much feature i's readout picks
    /// up feature j (the diagonal is ‖W_i‖²).
    public let gram: [[Float]]
    public let nHidden: Int
    public let frobeniusNormSquared: Float

    /// A feature counts as represented when ‖W_i‖ exceeds this (the paper's rough test).
    public static let representedNorm = SuperpositionGeometry.representedNorm
    /// Two represented features share dimensions when their directions' |cosine| is at least this.
    public static let sharingCosine: Float = 0.5

    public init(_ model: ToySuperpositionModel) {
        let g = SuperpositionGeometry(model)
        let n = model.nFeatures
        features = g.features
        gram = (0..<n).map { i in (0..<n).map { j in g.gram[i, j] } }
        nHidden = g.nHidden
        frobeniusNormSquared = g.frobeniusNormSquared
    }

    public var count: Int { features.count }

    public func isRepresented(_ i: Int) -> Bool { features[i].norm > Self.representedNorm }

    public var representedCount: Int { features.indices.filter(isRepresented).count }

    /// cos(W_i, W_j) (0 when either has no length).
    public func cosine(_ i: Int, _ j: Int) -> Float {
        let d = features[i].norm * features[j].norm
        return d > 0 ? gram[i][j] / d : 0
    }

    /// The represented features whose directions overlap feature i's (|cos| ≥ 0.5), strongest first.
    public func sharing(_ i: Int) -> [Int] {
        guard isRepresented(i) else { return [] }
        return features.indices.filter { $0 != i && isRepresented($0) && abs(cosine(i, $0)) >= Self.sharingCosine }
            .sorted { abs(cosine(i, $0)) > abs(cosine(i, $1)) }
    }

    /// The largest |WᵀW| entry: the heatmap's scale.
    public var gramScale: Float { gram.joined().map(abs).max() ?? 0 }
}

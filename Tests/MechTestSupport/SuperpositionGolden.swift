import Foundation

/// A toy superposition model's reference geometry and runs, computed in NumPy by
/// Tests/golden/analysis/make_superposition_goldens.py (Tests/golden/analysis/superposition/<name>.json).
public struct SuperpositionGolden: Decodable {
    public struct Feature: Decodable {
        public let feature: Int
        public let norm: Double
        public let interference: Double
        public let dimensionality: Double
        public let bias: Double
        public let importance: Double?
    }
    public struct Run: Decodable {
        public let input: String
        public let hidden: [Double]
        public let output: [Double]
    }
    public let model: String
    public let n_features: Int
    public let n_hidden: Int
    public let feature_probability: Double?
    public let represented_features: Int
    public let frobenius_norm_squared: Double
    public let features: [Feature]
    public let runs: [Run]

    /// Each golden with its model folder, and how many features and inputs each must hold.
    public static let expected: [(name: String, features: Int, runs: Int)] = [("superposition-toy", 20, 6), ("toy-edge", 6, 4)]

    public static func folder(_ name: String) -> URL {
        name == "superposition-toy" ? GoldenFixtures.sampleFolder(name) : GoldenFixtures.analysis("superposition/\(name)")
    }

    public static func load(_ name: String) throws -> SuperpositionGolden {
        let url = GoldenFixtures.analysis("superposition/\(name).json")
        return try JSONDecoder().decode(SuperpositionGolden.self, from: Data(contentsOf: url))
    }
}

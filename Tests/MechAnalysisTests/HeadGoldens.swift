import Foundation
import MechModels
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// The TransformerLens 4 head-analysis goldens (Tests/golden/analysis/heads/<model>.json, made by
/// make_heads_goldens.py) with the model they describe.
final class HeadGoldens {
    static let modelNames = ["gpt2-tiny-a", "gpt2-tiny-b", "llama-tiny", "pythia-tiny"]
    /// The models with a learned position embedding (a positional QK circuit).
    static let learnedPositionModelNames = ["gpt2-tiny-a", "gpt2-tiny-b"]

    let name: String
    let json: [String: Any]
    let model: LoadedModel
    let weights: ProcessedWeights

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: HeadGoldens] = [:]

    /// Loaded once per model for the whole test run.
    static func named(_ name: String) throws -> HeadGoldens {
        lock.lock()
        defer { lock.unlock() }
        if let g = loaded[name] { return g }
        let g = try HeadGoldens(name: name)
        loaded[name] = g
        return g
    }

    private init(name: String) throws {
        self.name = name
        let url = GoldenFixtures.analysis("heads/\(name).json")
        json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        model = try LoadedModel(folder: GoldenFixtures.modelFolder(name))
        weights = ProcessedWeights(model.transformer)
    }

    var layers: Int { json["n_layers"] as! Int }
    var heads: Int { json["n_heads"] as! Int }

    subscript(_ key: String) -> Any? { json[key] }

    /// [[re, im], ...] → eigenvalues.
    static func eigenvalues(_ value: Any?) -> [Eigenvalue] {
        (value as! [[Any]]).map { Eigenvalue(real: ($0[0] as! NSNumber).doubleValue, imaginary: ($0[1] as! NSNumber).doubleValue) }
    }
}

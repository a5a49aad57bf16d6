import Foundation
import MechFormats
import MechTensor

/// Elhage et al.'s "Toy Models of Superposition" ReLU output model: n sparse features squeezed into
/// m < n hidden dimensions, h = W·x, out = ReLU(Wᵀ·h + b). Feature i's direction is column i of W.
public struct ToySuperpositionModel: @unchecked Sendable {
    public let folder: URL
    public let nFeatures: Int
    public let nHidden: Int
    public let featureProbability: Double?
    public let importance: [Double]?
    public let W: Tensor        // [n_hidden, n_features]
    public let bFinal: Tensor   // [n_features]

    public static let modelType = "toy_superposition"

    public init(folder: URL) throws {
        self.folder = folder
        let json = try JSONConfig(url: folder.appendingPathComponent("config.json"))
        let path = json.url.path
        let type = try json.optionalString("model_type") ?? ""
        guard type == Self.modelType else { throw ModelError.unknownModelType(file: path, modelType: type) }
        nFeatures = try json.int("n_features")
        nHidden = try json.int("n_hidden")
        guard nFeatures > 0, nHidden > 0 else {
            throw ModelError.badConfig(file: path, key: "n_features", problem: "and n_hidden must be positive")
        }
        if let activation = try json.optionalString("activation"), activation != "relu" {
            throw ModelError.badConfig(file: path, key: "activation", problem: "'\(activation)' is not supported (relu)")
        }
        featureProbability = try json.optionalDouble("feature_probability")
        importance = try json.value("importance")?.arrayValue.map { try $0.map {
            guard let v = $0.doubleValue else {
                throw ModelError.badConfig(file: path, key: "importance", problem: "must be a list of numbers")
            }
            return v
        } }
        if let importance, importance.count != nFeatures {
            throw ModelError.badConfig(file: path, key: "importance",
                                       problem: "has \(importance.count) values for \(nFeatures) features")
        }
        let store = try WeightStore(folder: folder)
        func load(_ name: String, _ shape: [Int]) throws -> Tensor {
            guard store.info(named: name) != nil else { throw ModelError.missingTensor(folder: folder.path, tensor: name) }
            let t = try store.tensor(named: name)
            guard t.shape == shape else {
                throw ModelError.wrongShape(folder: folder.path, tensor: name, expected: shape, found: t.shape)
            }
            return t
        }
        W = try load("W", [nHidden, nFeatures])
        bFinal = try load("b_final", [nFeatures])
    }

    /// The first of the model's tensors (W, then b_final) holding a NaN or ±∞, if any.
    public var firstNonFiniteTensor: String? {
        if !NonFiniteValues.allFinite(W) { return "W" }
        if !NonFiniteValues.allFinite(bFinal) { return "b_final" }
        return nil
    }

    /// Hidden activations and outputs for a batch of feature vectors: [batch, n_features] →
    /// (hidden [batch, n_hidden], output [batch, n_features]).
    public func run(_ x: Tensor) -> (hidden: Tensor, output: Tensor) {
        precondition(x.rank == 2 && x.shape[1] == nFeatures, "input \(x.shape) for \(nFeatures) features")
        let hidden = x.matmul(W, transposeOther: true)              // [batch, n_hidden]
        let output = hidden.matmul(W)                               // [batch, n_features]
        output.addToEachRow(bFinal)
        Activation.relu.apply(inPlace: output.pointer, count: output.count)
        return (hidden, output)
    }

    /// Parses one input vector written as whitespace-separated numbers (a line of prompts.txt). A
    /// NaN, ±∞ or a value beyond float32's range is refused, naming its position: the weights are
    /// not to blame for what it would make of the output.
    public func parseInput(_ text: String) throws -> Tensor {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        let values = fields.compactMap { Float($0) }
        guard values.count == fields.count, values.count == nFeatures else {
            throw ModelError.badConfig(file: folder.path, key: "input",
                                       problem: "needs \(nFeatures) numbers separated by spaces, got '\(text)'")
        }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw ModelError.toyInputNotFinite(feature: i, text: String(fields[i]),
                                               overflows: Double(fields[i]).map { $0.isFinite } ?? false)
        }
        return Tensor(shape: [1, nFeatures], values: values)
    }
}

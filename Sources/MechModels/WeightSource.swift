import MechTensor

/// Where a model's named tensors come from (a safetensors folder, or tensors built in a test).
public protocol WeightSource {
    /// A path or label for messages.
    var location: String { get }
    func contains(_ name: String) -> Bool
    func tensor(named name: String) throws -> Tensor
}

/// Tensors held in memory, for tests and synthetic models.
public struct InMemoryWeights: WeightSource {
    public var tensors: [String: Tensor]
    public var location: String

    public init(_ tensors: [String: Tensor], location: String = "(in memory)") {
        self.tensors = tensors
        self.location = location
    }

    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    public func tensor(named name: String) throws -> Tensor {
        guard let t = tensors[name] else { throw ModelError.missingTensor(folder: location, tensor: name) }
        return t
    }
}

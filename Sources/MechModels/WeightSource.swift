import MechTensor

/// Where a model's named tensors come from (a safetensors folder, or tensors built in a test).
public protocol WeightSource {
    /// A path or label for messages.
    var location: String { get }
    func contains(_ name: String) -> Bool
    func tensor(named name: String) throws -> Tensor
    /// The tensor's stored shape, or nil when absent (checked without reading the data).
    func storedShape(_ name: String) -> [Int]?
    /// Whether the tensor is stored in 16 bits (F16/BF16): such weights stay in the mapping and are
    /// converted when used (`transientTensor`).
    func isStoredInHalfPrecision(_ name: String) -> Bool
    /// The tensor as float32 in memory the source does not keep.
    func transientTensor(named name: String) throws -> Tensor
    /// The stored dtype's name when Mechscope cannot read it (not F32/F16/BF16), else nil.
    func unreadableDType(_ name: String) -> String?
    /// Every tensor name the source holds, when it can list them (for reporting the ones no loader reads).
    var tensorNames: [String]? { get }
}

extension WeightSource {
    public var tensorNames: [String]? { nil }
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

    public func storedShape(_ name: String) -> [Int]? { tensors[name]?.shape }
    public func isStoredInHalfPrecision(_ name: String) -> Bool { false }
    public func transientTensor(named name: String) throws -> Tensor { try tensor(named: name) }
    public func unreadableDType(_ name: String) -> String? { nil }
    public var tensorNames: [String]? { Array(tensors.keys) }
}

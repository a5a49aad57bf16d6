import MechTensor

/// The activations of one forward pass, keyed by hook, as TransformerLens's `ActivationCache`.
public struct ActivationCache: @unchecked Sendable {
    public private(set) var storage: [HookPoint: Tensor] = [:]

    public init() {}

    public subscript(_ hook: HookPoint) -> Tensor? {
        get { storage[hook] }
        set { storage[hook] = newValue }
    }

    /// Looks a hook up by its TransformerLens name.
    public subscript(_ name: String) -> Tensor? {
        HookPoint(name: name).flatMap { storage[$0] }
    }

    public var hooks: [HookPoint] { Array(storage.keys) }

    /// Bytes held by cached tensors.
    public var byteCount: Int { storage.values.reduce(0) { $0 + $1.count * 4 } }
}

/// Which activations a forward pass keeps; it computes them all regardless.
public enum CachePolicy: Sendable {
    case all
    case none
    case only(Set<HookPoint>)

    func keeps(_ hook: HookPoint) -> Bool {
        switch self {
        case .all: return true
        case .none: return false
        case .only(let set): return set.contains(hook)
        }
    }
}

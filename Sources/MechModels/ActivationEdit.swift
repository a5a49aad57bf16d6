import MechTensor

/// A forward hook as a closure that edits the tensor in place: the pass's low-level mechanism.
/// `Intervention` is the validated value type built on it; a closure is only for edits no
/// intervention case describes (AblationSweep's rank-one residual update for a neuron).
public struct ActivationEdit: @unchecked Sendable {
    public let hook: HookPoint
    public let label: String
    public let apply: (Tensor) -> Void

    public init(hook: HookPoint, label: String, apply: @escaping (Tensor) -> Void) {
        self.hook = hook
        self.label = label
        self.apply = apply
    }
}

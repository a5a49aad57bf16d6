import MechTensor

/// A change made to an activation while the forward pass runs (ablation, patching, steering), as a
/// value the UI can list, compare and toggle: TransformerLens's forward hooks without closures.
/// Tensors compare by identity (the same storage, offset and shape), not by contents.
public enum Intervention: Hashable, Sendable {
    /// Sets one head's raw `hook_z` to zero at every position (or the given ones).
    case zeroHead(layer: Int, head: Int, positions: [Int]? = nil)
    /// TransformerLens's zero-ablation of a head in its processed model: the processed z is 0, which
    /// on raw weights is z = b_V + ln1.b·W_V (`valueBias`, [d_head]) at every position.
    case processedZeroHead(layer: Int, head: Int, valueBias: [Float])
    /// Replaces one head's `hook_z` by `mean` ([d_head]) at every position.
    case meanHead(layer: Int, head: Int, mean: [Float])
    /// Sets one MLP neuron's `hook_post` to `value` at every position.
    case setNeuron(layer: Int, neuron: Int, to: Float)
    /// Sets one MLP neuron's `hook_post` to its mean (over a reference run's positions) everywhere.
    case meanNeuron(layer: Int, neuron: Int, mean: Float)
    /// Copies `from` (the same hook of another run) into this run at the given positions (all if nil).
    case patch(HookPoint, from: Tensor, positions: [Int]? = nil)
    /// Copies one head's `hook_z` from another run's `hook_z` at the given positions (all if nil).
    case patchHead(layer: Int, head: Int, from: Tensor, positions: [Int]? = nil)
    /// Adds `scale`·`vector` ([d_model]) to a residual-stream hook at the given positions (all if nil).
    case addVector(HookPoint, vector: Tensor, scale: Float = 1, positions: [Int]? = nil)

    /// The hook the intervention edits.
    public var hook: HookPoint {
        switch self {
        case .zeroHead(let l, _, _), .processedZeroHead(let l, _, _), .meanHead(let l, _, _), .patchHead(let l, _, _, _):
            return .z(l)
        case .setNeuron(let l, _, _), .meanNeuron(let l, _, _): return .mlpPost(l)
        case .patch(let hook, _, _), .addVector(let hook, _, _, _): return hook
        }
    }

    /// A short name for lists and status lines, e.g. "zero-ablate L1H3".
    public var label: String {
        switch self {
        case .zeroHead(let l, let h, let p): return "zero-ablate L\(l)H\(h) (raw z)" + Self.at(p)
        case .processedZeroHead(let l, let h, _): return "zero-ablate L\(l)H\(h)"
        case .meanHead(let l, let h, _): return "mean-ablate L\(l)H\(h)"
        case .setNeuron(let l, let n, let v): return v == 0 ? "zero-ablate L\(l)N\(n)" : "set L\(l)N\(n)=\(v)"
        case .meanNeuron(let l, let n, _): return "mean-ablate L\(l)N\(n)"
        case .patch(let hook, _, let p): return "patch \(hook.name)" + Self.at(p)
        case .patchHead(let l, let h, _, let p): return "patch L\(l)H\(h)" + Self.at(p)
        case .addVector(let hook, _, let s, let p): return "add \(s)·vector at \(hook.name)" + Self.at(p)
        }
    }

    private static func at(_ positions: [Int]?) -> String {
        positions.map { " at \($0.map(String.init).joined(separator: ","))" } ?? ""
    }

    public static func == (a: Intervention, b: Intervention) -> Bool { a.identity == b.identity }
    public func hash(into hasher: inout Hasher) { hasher.combine(identity) }

    /// What equality and hashing compare: the case, its numbers, and tensors by identity.
    private var identity: [AnyHashable] {
        switch self {
        case .zeroHead(let l, let h, let p): return ["zeroHead", l, h, p]
        case .processedZeroHead(let l, let h, let v): return ["processedZeroHead", l, h, v]
        case .meanHead(let l, let h, let m): return ["meanHead", l, h, m]
        case .setNeuron(let l, let n, let v): return ["setNeuron", l, n, v]
        case .meanNeuron(let l, let n, let m): return ["meanNeuron", l, n, m]
        case .patch(let hook, let t, let p): return ["patch", hook, Self.identity(t), p]
        case .patchHead(let l, let h, let t, let p): return ["patchHead", l, h, Self.identity(t), p]
        case .addVector(let hook, let t, let s, let p): return ["addVector", hook, Self.identity(t), s, p]
        }
    }

    private static func identity(_ t: Tensor) -> [AnyHashable] { [ObjectIdentifier(t.buffer), t.offset, t.shape] }
}

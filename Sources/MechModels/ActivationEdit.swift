import MechTensor

/// A change made to an activation while the forward pass runs (ablation, patching, steering):
/// TransformerLens's forward hooks, as values. The closure edits the tensor in place.
public struct ActivationEdit: @unchecked Sendable {
    public let hook: HookPoint
    public let label: String
    public let apply: (Tensor) -> Void

    public init(hook: HookPoint, label: String, apply: @escaping (Tensor) -> Void) {
        self.hook = hook
        self.label = label
        self.apply = apply
    }

    /// Zero-ablates one head by zeroing its `hook_z` at every position (or the given ones).
    public static func zeroHead(layer: Int, head: Int, positions: [Int]? = nil) -> ActivationEdit {
        ActivationEdit(hook: .z(layer), label: "zero-ablate L\(layer)H\(head)") { z in
            // z: [pos, head, d_head]
            let dHead = z.shape[2]
            for p in positions ?? Array(0..<z.shape[0]) {
                (z.pointer + (p * z.shape[1] + head) * dHead).update(repeating: 0, count: dHead)
            }
        }
    }

    /// Replaces one head's `hook_z` by a mean value per d_head dimension ([d_head]), e.g. its mean
    /// over positions of a reference run.
    public static func meanAblateHead(layer: Int, head: Int, mean: Tensor) -> ActivationEdit {
        ActivationEdit(hook: .z(layer), label: "mean-ablate L\(layer)H\(head)") { z in
            let dHead = z.shape[2]
            precondition(mean.count == dHead, "mean for L\(layer)H\(head) has \(mean.count) values, d_head is \(dHead)")
            for p in 0..<z.shape[0] {
                (z.pointer + (p * z.shape[1] + head) * dHead).update(from: mean.pointer, count: dHead)
            }
        }
    }

    /// Sets one MLP neuron's post-activation to `value` (0 for zero-ablation, its mean for mean-ablation).
    public static func setNeuron(layer: Int, neuron: Int, to value: Float, label: String? = nil) -> ActivationEdit {
        ActivationEdit(hook: .mlpPost(layer), label: label ?? "set L\(layer)N\(neuron)=\(value)") { post in
            let dMLP = post.shape[1]
            for p in 0..<post.shape[0] { post.pointer[p * dMLP + neuron] = value }
        }
    }

    /// Copies `source` (the same hook from another run) into this run at the given positions
    /// (all if nil): activation patching.
    public static func patch(_ hook: HookPoint, from source: Tensor, positions: [Int]? = nil) -> ActivationEdit {
        ActivationEdit(hook: hook, label: "patch \(hook.name)") { x in
            precondition(x.shape == source.shape, "patch \(hook.name): shapes \(x.shape) and \(source.shape) differ")
            let row = x.count / max(x.shape[0], 1)
            for p in positions ?? Array(0..<x.shape[0]) {
                (x.pointer + p * row).update(from: source.pointer + p * row, count: row)
            }
        }
    }

    /// Copies one head's `hook_z` from another run (head-output patching, all positions or some).
    public static func patchHead(layer: Int, head: Int, from sourceZ: Tensor, positions: [Int]? = nil) -> ActivationEdit {
        ActivationEdit(hook: .z(layer), label: "patch L\(layer)H\(head)") { z in
            precondition(z.shape == sourceZ.shape, "patch L\(layer)H\(head): shapes \(z.shape) and \(sourceZ.shape) differ")
            let dHead = z.shape[2]
            for p in positions ?? Array(0..<z.shape[0]) {
                let at = (p * z.shape[1] + head) * dHead
                (z.pointer + at).update(from: sourceZ.pointer + at, count: dHead)
            }
        }
    }

    /// Adds `scale`·`vector` ([d_model]) to a residual-stream hook at the given positions (all if nil):
    /// activation steering.
    public static func addVector(_ hook: HookPoint, vector: Tensor, scale: Float = 1, positions: [Int]? = nil) -> ActivationEdit {
        ActivationEdit(hook: hook, label: "add vector at \(hook.name)") { x in
            let d = x.shape.last!
            precondition(vector.count == d, "steering vector has \(vector.count) values, \(hook.name) has \(d)")
            for p in positions ?? Array(0..<x.shape[0]) {
                Tensor(shape: [d], buffer: x.buffer, offset: x.offset + p * d).add(vector, scaledBy: scale)
            }
        }
    }
}

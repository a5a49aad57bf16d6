import MechTensor

extension Intervention {
    /// The in-place edit the forward pass applies at `hook`. Assumes `validate` passed.
    public var edit: ActivationEdit {
        ActivationEdit(hook: hook, label: label) { x in apply(to: x) }
    }

    /// Edits `x`, this hook's activation (row i is a position), in place.
    func apply(to x: Tensor) {
        let rows = x.shape[0], row = x.count / max(rows, 1)
        switch self {
        case .zeroHead(_, let head, let positions):
            let dh = x.shape[2]
            for p in positions ?? Array(0..<rows) { (x.pointer + p * row + head * dh).update(repeating: 0, count: dh) }
        case .processedZeroHead(_, let head, let value), .meanHead(_, let head, let value):
            let dh = x.shape[2]
            for p in 0..<rows { (x.pointer + p * row + head * dh).update(from: value, count: dh) }
        case .setNeuron(_, let neuron, let value), .meanNeuron(_, let neuron, let value):
            for p in 0..<rows { x.pointer[p * row + neuron] = value }
        case .patch(_, let source, let positions):
            for p in positions ?? Array(0..<rows) { (x.pointer + p * row).update(from: source.pointer + p * row, count: row) }
        case .patchHead(_, let head, let source, let positions):
            let dh = x.shape[2]
            for p in positions ?? Array(0..<rows) {
                let at = p * row + head * dh
                (x.pointer + at).update(from: source.pointer + at, count: dh)
            }
        case .addVector(_, let vector, let scale, let positions):
            for p in positions ?? Array(0..<rows) {
                Tensor(shape: [row], buffer: x.buffer, offset: x.offset + p * row).add(vector, scaledBy: scale)
            }
        }
    }
}

extension Transformer {
    /// Runs the model with `interventions` applied where their hooks fire, after checking each one
    /// against the model and prompt (an `InterventionError` instead of a trap).
    public func run(_ tokens: [Int], interventions: [Intervention], caching: CachePolicy = .all,
                    computeLogits: Bool = true, shouldContinue: () -> Bool = { true }) throws -> ForwardResult {
        for i in interventions { try i.validate(against: config, tokens: tokens.count) }
        return try run(tokens, edits: interventions.map(\.edit), caching: caching, computeLogits: computeLogits,
                       shouldContinue: shouldContinue)
    }

    /// `resume(from:layer:position:edits:…)` with validated interventions; hooked tensors hold the
    /// positions from `position` on, so positions and patch sources count from there.
    public func resume(from base: ForwardResult, layer: Int, position: Int, interventions: [Intervention],
                       caching: CachePolicy = .none, computeLogits: Bool = true,
                       shouldContinue: () -> Bool = { true }) throws -> ResumedForwardResult {
        let rows = max(base.tokens.count - position, 0)
        for i in interventions { try i.validate(against: config, tokens: rows) }
        return try resume(from: base, layer: layer, position: position, edits: interventions.map(\.edit),
                          caching: caching, computeLogits: computeLogits, shouldContinue: shouldContinue)
    }
}

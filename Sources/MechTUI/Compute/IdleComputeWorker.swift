/// The worker of a model with nothing to compute in the background (a toy superposition model,
/// whose features page is computed when it opens): every job fails in one line.
public final class IdleComputeWorker: ComputeWorker {
    private var outputs: [ComputeOutput] = []
    private let reason: String

    public init(reason: String) { self.reason = reason }

    public var isBusy: Bool { false }

    public func drain() -> [ComputeOutput] {
        defer { outputs.removeAll() }
        return outputs
    }

    public func runPrompt(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation]) {
        outputs.append(.ran(generation: generation, .failure(ComputeFailure(reason))))
    }

    public func runCorrupted(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation]) {
        outputs.append(.ranCorrupted(generation: generation, .failure(ComputeFailure(reason))))
    }

    public func cancel(_ request: AnalysisRequest) {}

    public func compute(_ request: AnalysisRequest, generation: Int, on run: RunSnapshot) {
        outputs.append(.finished(request, generation: generation, .failure(ComputeFailure(reason)), milliseconds: 0))
    }
}

import Foundation
import MechModels
import MechTensor

/// Runs prompts and analyses for the core and hands back tagged outputs. The threaded worker
/// keeps all model work off the input loop; the inline one runs it at once, so headless tests are
/// deterministic (as swift-nio's EmbeddedEventLoop makes event-loop code testable).
public protocol ComputeWorker: AnyObject {
    func runPrompt(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation])
    func compute(_ request: AnalysisRequest, generation: Int, on run: RunSnapshot)
    /// Runs the corrupted prompt of `generation` (posted as `.ranCorrupted`).
    func runCorrupted(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation])
    /// Stops `request` between cells or layers (it finishes as cancelled).
    func cancel(_ request: AnalysisRequest)
    /// Outputs finished since the last call, oldest first.
    func drain() -> [ComputeOutput]
    /// Whether work is queued or running.
    var isBusy: Bool { get }
}

extension ComputeFailure {
    /// One line for any error thrown by model code; cancellation is flagged, not shown.
    init(_ error: Error) {
        if let model = error as? ModelError, case .cancelled = model {
            self.init("cancelled", cancelled: true)
        } else if let failure = error as? ComputeFailure {
            self = failure
        } else {
            self.init(String(describing: error))
        }
    }
}

/// One background thread (a serial queue) for all compute. A newer prompt cancels older work:
/// prompt-dependent jobs of an older generation stop between layers or are skipped unstarted.
public final class ThreadedComputeWorker: ComputeWorker, @unchecked Sendable {
    private let runner: AnalysisRunner
    private let queue = DispatchQueue(label: "mechscope.compute", qos: .userInitiated)
    private let lock = NSLock()
    private var outputs: [ComputeOutput] = []
    private var latestGeneration = 0
    private var queued = 0
    /// Bumped by `cancel`: a job stops when its request's count moved on since it was queued.
    private var cancellations: [AnalysisRequest: Int] = [:]

    public init(runner: AnalysisRunner) { self.runner = runner }

    public var isBusy: Bool { lock.withLock { queued > 0 } }

    public func drain() -> [ComputeOutput] {
        lock.withLock {
            defer { outputs.removeAll() }
            return outputs
        }
    }

    private func isCurrent(_ generation: Int) -> Bool { lock.withLock { latestGeneration == generation } }

    private func post(_ output: ComputeOutput) { lock.withLock { outputs.append(output) } }

    /// Runs `body` on the compute queue; the last job of a burst hands idle memory back before the
    /// worker waits (a long browsing session keeps only what its caches hold).
    private func enqueue(_ body: @escaping () -> Void) {
        lock.withLock { queued += 1 }
        queue.async { [self] in
            body()
            let idle = lock.withLock { queued -= 1; return queued == 0 }
            if idle { HeapPolicy.releaseIdleMemory() }
        }
    }

    public func runPrompt(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation]) {
        run(generation: generation, prompt: prompt, prependBOS: prependBOS, ablations: ablations) { .ran(generation: $0, $1) }
    }

    public func runCorrupted(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation]) {
        run(generation: generation, prompt: prompt, prependBOS: prependBOS, ablations: ablations) { .ranCorrupted(generation: $0, $1) }
    }

    private func run(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation],
                     output: @escaping (Int, Result<RunSnapshot, ComputeFailure>) -> ComputeOutput) {
        lock.withLock { latestGeneration = max(latestGeneration, generation) }
        enqueue { [self] in
            guard isCurrent(generation) else { return post(output(generation, .failure(ComputeFailure("cancelled", cancelled: true)))) }
            do {
                let snapshot = try runner.run(prompt: prompt, prependBOS: prependBOS, ablations: ablations, generation: generation,
                                              shouldContinue: { self.isCurrent(generation) })
                post(output(generation, .success(snapshot)))
            } catch {
                post(output(generation, .failure(ComputeFailure(error))))
            }
        }
    }

    public func cancel(_ request: AnalysisRequest) {
        lock.withLock { cancellations[request, default: 0] += 1 }
    }

    public func compute(_ request: AnalysisRequest, generation: Int, on run: RunSnapshot) {
        let ticket = lock.withLock { cancellations[request, default: 0] }
        enqueue { [self] in
            let keepGoing = {
                (!request.dependsOnPrompt || self.isCurrent(generation))
                    && self.lock.withLock { self.cancellations[request, default: 0] == ticket }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            guard keepGoing() else {
                return post(.finished(request, generation: generation, .failure(ComputeFailure("cancelled", cancelled: true)), milliseconds: 0))
            }
            let result: Result<AnalysisValue, ComputeFailure>
            do {
                result = .success(try runner.compute(request, on: run, shouldContinue: keepGoing,
                                                     progress: { self.post(.progress(request, generation: generation, $0)) }))
            } catch {
                result = .failure(ComputeFailure(error))
            }
            post(.finished(request, generation: generation, result,
                           milliseconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
        }
    }
}

/// Runs every job at once on the caller's thread: for headless tests and benchmarks. Like the
/// threaded worker going idle, each job hands idle memory back when it ends.
public final class InlineComputeWorker: ComputeWorker {
    private let runner: AnalysisRunner
    private var outputs: [ComputeOutput] = []

    public init(runner: AnalysisRunner) { self.runner = runner }

    public var isBusy: Bool { false }

    public func drain() -> [ComputeOutput] {
        defer { outputs.removeAll() }
        return outputs
    }

    public func runPrompt(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation]) {
        do {
            let snapshot = try runner.run(prompt: prompt, prependBOS: prependBOS, ablations: ablations, generation: generation, shouldContinue: { true })
            outputs.append(.ran(generation: generation, .success(snapshot)))
        } catch {
            outputs.append(.ran(generation: generation, .failure(ComputeFailure(error))))
        }
        HeapPolicy.releaseIdleMemory()
    }

    public func runCorrupted(generation: Int, prompt: String, prependBOS: Bool, ablations: [Ablation]) {
        do {
            let snapshot = try runner.run(prompt: prompt, prependBOS: prependBOS, ablations: ablations, generation: generation,
                                          shouldContinue: { true })
            outputs.append(.ranCorrupted(generation: generation, .success(snapshot)))
        } catch {
            outputs.append(.ranCorrupted(generation: generation, .failure(ComputeFailure(error))))
        }
        HeapPolicy.releaseIdleMemory()
    }

    /// Jobs finish as soon as they are asked for: there is nothing left to stop.
    public func cancel(_ request: AnalysisRequest) {}

    public func compute(_ request: AnalysisRequest, generation: Int, on run: RunSnapshot) {
        let start = DispatchTime.now().uptimeNanoseconds
        let result: Result<AnalysisValue, ComputeFailure>
        do {
            result = .success(try runner.compute(request, on: run, shouldContinue: { true },
                                                 progress: { self.outputs.append(.progress(request, generation: generation, $0)) }))
        } catch {
            result = .failure(ComputeFailure(error))
        }
        outputs.append(.finished(request, generation: generation, result,
                                 milliseconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6))
        HeapPolicy.releaseIdleMemory()
    }
}

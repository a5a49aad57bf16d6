import Foundation
import MechModels
import MechTensor

/// One open model and what has been derived from it, shared by every view and command that works
/// on it: processed weights, weight-only scores (OV copying, composition) and the repeated-sequence
/// head scores are computed once and memoised; prompt runs are the caller's values.
///
/// Thread-safe: memoised values are guarded by a lock, so a worker may fill them while another
/// thread reads what is ready. Nothing here knows a terminal exists.
public final class AnalysisSession: @unchecked Sendable {
    public let model: LoadedModel
    private let lock = NSLock()
    private var processed: ProcessedWeights?
    private var copying: OVCopyingScores?
    private var repeated: RepeatedSequenceScores?
    private var composition: [CompositionKind: CompositionScores] = [:]

    public init(model: LoadedModel) {
        self.model = model
    }

    public var config: TransformerConfig { model.config }

    /// Whether prompts run with the BOS token first by default: the model's BOS policy
    /// (`LoadedModel.bosDecision(.modelDefault)`: config.json's `prepend_bos`, else what the tokenizer does).
    public var defaultPrependBOS: Bool { model.bosDecision(.modelDefault).addsBOS }

    /// Token ids of a prompt with the BOS token first or not (a resolved choice, as the explorer's
    /// toggle holds it; the tokenizer's own BOS is never doubled), checked against the context length.
    public func tokenize(_ prompt: String, prependBOS: Bool) throws -> [Int] {
        try model.tokenize(prompt, bos: BOSChoice(flag: prependBOS))
    }

    /// A forward pass with every hook cached and the last position's logits; `shouldContinue` is
    /// polled between layers (returning false throws `ModelError.cancelled`).
    public func run(_ tokens: [Int], shouldContinue: () -> Bool = { true }) throws -> ForwardResult {
        try model.transformer.run(tokens, caching: .all, logits: .last, shouldContinue: shouldContinue)
    }

    /// TransformerLens's processed weights, derived on first use.
    public func processedWeights() -> ProcessedWeights {
        lock.lock()
        defer { lock.unlock() }
        if let processed { return processed }
        let made = ProcessedWeights(model.transformer)
        processed = made
        return made
    }

    /// Every head's OV copying score, computed once.
    public func ovCopyingScores() throws -> OVCopyingScores {
        if let ready = locked({ copying }) { return ready }
        let made = try OVCopyingScores.compute(processedWeights())
        locked { copying = made }
        return made
    }

    /// Head scores on the seeded repeated random sequence, computed once.
    public func repeatedSequenceScores(shouldContinue: () -> Bool = { true }) throws -> RepeatedSequenceScores {
        if let ready = locked({ repeated }) { return ready }
        guard shouldContinue() else { throw ModelError.cancelled }
        let sequence = try RepeatedTokenSequence(for: model)
        let made = try RepeatedSequenceScores.compute(model.transformer, sequence: sequence)
        locked { repeated = made }
        return made
    }

    /// One kind of composition scores between every pair of heads, computed once.
    public func compositionScores(_ kind: CompositionKind) throws -> CompositionScores {
        if let ready = locked({ composition[kind] }) { return ready }
        let made = try CompositionScores.compute(processedWeights(), kinds: [kind])[0]
        locked { composition[kind] = made }
        return made
    }

    /// The memoised value if ready, without computing anything (for views that draw what is there).
    public var readyOVCopyingScores: OVCopyingScores? { locked { copying } }
    public var readyRepeatedSequenceScores: RepeatedSequenceScores? { locked { repeated } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

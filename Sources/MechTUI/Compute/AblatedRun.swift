import MechAnalysis
import MechModels
import MechTensor

/// A prompt's run with the explorer's ablations applied, as `mechscope ablate` defines them (means
/// over the clean run's positions), and the clean run's last logits and loss to compare with.
struct AblatedRun {
    let result: ForwardResult
    let loss: Float?
    let baseline: RunSnapshot.Baseline

    /// `clean` is the prompt's unablated run with every hook cached.
    init(session: AnalysisSession, tokens: [Int], ablations: [Ablation], clean: ForwardResult,
         shouldContinue: () -> Bool) throws {
        let transformer = session.model.transformer
        let interventions = try ablations.map { try Self.intervention($0, transformer: transformer, clean: clean) }
        // Loss needs every position's logits, which the session's run (last position only) lacks.
        let cleanLogits = try transformer.run(tokens, caching: .none, logits: .all, shouldContinue: shouldContinue).logits
        result = try transformer.run(tokens, interventions: interventions, caching: .all, computeLogits: true,
                                     shouldContinue: shouldContinue)
        loss = AblationLoss.meanNextTokenLoss(logits: result.logits, tokens: tokens)
        baseline = .init(lastLogits: cleanLogits.row(cleanLogits.shape[0] - 1).scalars,
                         loss: AblationLoss.meanNextTokenLoss(logits: cleanLogits, tokens: tokens))
    }

    static func intervention(_ a: Ablation, transformer: Transformer, clean: ForwardResult) throws -> Intervention {
        let mode: AblationMode = a.kind == .zero ? .zero : .mean
        switch a.target {
        case .head(let l, let h):
            return try AblationInterventions.head(layer: l, head: h, mode, transformer: transformer, reference: clean)
        case .neuron(let l, let n):
            return try AblationInterventions.neuron(layer: l, neuron: n, mode, transformer: transformer, reference: clean)
        }
    }
}

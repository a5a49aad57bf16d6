import MechAnalysis
import MechModels
import MechTensor

/// A prompt's run with the explorer's ablations applied, as `mechscope ablate` defines them (means
/// over the clean run's positions), and the clean run's last logits and loss to compare with.
struct AblatedRun {
    let result: ForwardResult
    let loss: Float?
    let baseline: RunSnapshot.Baseline

    /// Two passes: the clean one (every position's logits, for the loss, and the activations the
    /// means average), then the ablated one with every hook cached for the views.
    init(session: AnalysisSession, tokens: [Int], ablations: [Ablation], shouldContinue: () -> Bool) throws {
        let transformer = session.model.transformer
        let c = transformer.config
        var means = Set((0..<c.nLayers).map { HookPoint.z($0) })
        if !c.attnOnly { means.formUnion((0..<c.nLayers).map { HookPoint.mlpPost($0) }) }
        let clean = try transformer.run(tokens, caching: .only(means), logits: .all, shouldContinue: shouldContinue)
        let interventions = try ablations.map { try Self.intervention($0, transformer: transformer, clean: clean) }
        let cleanLogits = clean.logits
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

import Foundation
import MechAnalysis
import MechModels
import MechTensor

/// Carries out the views' compute requests against the shared `AnalysisSession`. Runs on the
/// worker, never on the input loop; long requests report partial results layer by layer and stop
/// between layers when `shouldContinue` turns false.
public struct AnalysisRunner: Sendable {
    public let session: AnalysisSession

    public init(session: AnalysisSession) { self.session = session }

    /// Tokenizes and runs a prompt, keeping every activation and the top next tokens. With
    /// ablations, the snapshot is the ablated run, and keeps the clean run's metrics beside it.
    public func run(prompt: String, prependBOS: Bool, ablations: [Ablation] = [], generation: Int,
                    shouldContinue: () -> Bool) throws -> RunSnapshot {
        let start = DispatchTime.now().uptimeNanoseconds
        let tokens = try session.tokenize(prompt, prependBOS: prependBOS)
        let result: ForwardResult
        var clean: RunSnapshot.Baseline?
        var loss: Float?
        if ablations.isEmpty {
            result = try session.run(tokens, shouldContinue: shouldContinue)
        } else {
            let ablated = try AblatedRun(session: session, tokens: tokens, ablations: ablations,
                                         shouldContinue: shouldContinue)
            clean = ablated.baseline
            loss = ablated.loss
            result = ablated.result
        }
        var top: [RunSnapshot.NextToken] = []
        if let logits = result.lastLogits {
            let probs = Softmax.probabilities(logits)
            for id in TopK.indices(of: probs, k: min(20, session.config.vocabSize)) {
                top.append(.init(tokenID: id, text: TokenReference.display(id, in: session.model),
                                 probability: probs[id], logit: logits[id]))
            }
        }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        return RunSnapshot(generation: generation, prompt: prompt, prependBOS: prependBOS, tokens: tokens,
                           tokenTexts: tokens.map { TokenReference.display($0, in: session.model) },
                           result: result, topNext: top, milliseconds: ms, ablations: ablations, clean: clean, loss: loss)
    }

    /// Computes one request on a run; `progress` receives partial values of layer-by-layer work.
    public func compute(_ request: AnalysisRequest, on run: RunSnapshot, shouldContinue: () -> Bool,
                        progress: (AnalysisValue) -> Void) throws -> AnalysisValue {
        let model = session.model.transformer
        let c = session.config
        let last = run.count - 1
        switch request {
        case .headMetric(let metric, let target):
            return .headMetric(try headMetric(metric, target: target, run: run, shouldContinue: shouldContinue,
                                              progress: { progress(.headMetric($0)) }))
        case .headCircuit(let layer, let head, let token):
            let weights = session.processedWeights()
            let ov = try OVCircuit(weights, layer: layer, head: head)
            let qk = try QKCircuit(weights, layer: layer, head: head)
            let (promoted, suppressed) = try ov.promotions(ofToken: token, top: 8)
            let keys = try qk.preferredKeys(forQueryToken: token, top: 8)
            let copying = try OVCopyingScores.eigenvalues(weights, layer: layer, head: head).copyingScore
            var compositions: [(kind: String, layer: Int, head: Int, score: Float)] = []
            guard shouldContinue() else { throw ModelError.cancelled }
            let kinds = CompositionKind.allCases
            let earlier = try CompositionScores.earlierHeads(composingInto: layer, head: head, kinds: kinds, weights: weights)
            for (kind, list) in zip(kinds, earlier) {
                for e in list.prefix(3) { compositions.append((kind.rawValue, e.layer, e.head, e.score)) }
            }
            return .headCircuit(HeadCircuitSummary(layer: layer, head: head, token: token, promoted: promoted,
                                                   suppressed: suppressed, preferredKeys: keys, copyingScore: copying,
                                                   positional: try? qk.positionalPreference(), compositions: compositions))
        case .lens(let positions, let target):
            return .lens(try LogitLens.read(model, session.processedWeights(), run.result, positions: positions, topK: 5,
                                            targets: target.map { [$0] } ?? []))
        case .attribution(let unit, let target):
            let weights = session.processedWeights()
            let direction = try DirectLogitAttribution.direction(weights, answer: target.answer, wrong: target.wrong)
            let result: DirectLogitAttributionResult
            switch unit {
            case .component:
                result = try DirectLogitAttribution.components(model, run.result, positions: [last], direction: direction)
            case .head:
                result = try DirectLogitAttribution.heads(model, weights, run.result, positions: [last], direction: direction)
            }
            return .attribution(result, logit: try processedLogit(target, run: run))
        case .neuronEffect(let layer, let neuron):
            return .neuronEffect(try NeuronOutputEffect(layer: layer, neuron: neuron, weights: session.processedWeights(),
                                                        count: 10))
        case .neuronAttribution(let layer, let target):
            let weights = session.processedWeights()
            let direction = try DirectLogitAttribution.direction(weights, answer: target.answer, wrong: target.wrong)
            let all = try DirectLogitAttribution.neurons(model, weights, run.result, positions: [last], direction: direction)
            let column = all.column(positionIndex: 0)
            return .neuronAttribution(Array(column[(layer * c.dMLP)..<((layer + 1) * c.dMLP)]))
        case .finalReadout(let positions):
            let final = try run.result.cache.required(.residPost(c.nLayers - 1))
            let d = c.dModel
            let rows = Tensor(uninitialized: [positions.count, d])
            for (i, p) in positions.enumerated() { (rows.pointer + i * d).update(from: final.pointer + p * d, count: d) }
            return .readout(try LogitLens.readVectors(rows, model, session.processedWeights(), topK: 3))
        case .patching(let target, let question):
            return .patching(try patching(target, question, shouldContinue: shouldContinue,
                                          progress: { progress(.patching($0)) }))
        case .onCorrupted(let inner):
            return try compute(inner, on: run, shouldContinue: shouldContinue, progress: progress)
        case .fourierSpectrum(let modulus):
            let embedding = model.weights.tokenEmbedding      // [vocab, d_model]
            guard embedding.shape[0] >= modulus else {
                throw ComputeFailure("the embedding has \(embedding.shape[0]) rows, fewer than the modulus \(modulus)")
            }
            return .fourierSpectrum(EmbeddingFourierSpectrum(embedding: embedding, period: modulus))
        case .modularSweep(let story):
            return .modularSweep(try ModularSweepRun(session: session, story: story, prependBOS: run.prependBOS)
                .sweep(shouldContinue: shouldContinue, progress: { progress(.modularSweep($0)) }))
        }
    }

    /// One activation-patching grid, exactly as `mechscope patch` sweeps it (denoising), handing
    /// the grid to `progress` after every cell.
    private func patching(_ target: PatchingTarget, _ q: PatchingQuestion, shouldContinue: () -> Bool,
                          progress: (PatchingCells) -> Void) throws -> PatchingCells {
        let sweep = try PatchingSweep(transformer: session.model.transformer, clean: q.clean, corrupted: q.corrupted,
                                      metric: LogitDiffMetric(answer: q.answer, wrong: q.wrong),
                                      shouldContinue: shouldContinue)
        let columns = target.isPerPosition ? q.clean.count : session.config.nHeads
        var cells = PatchingCells(target: target, layers: session.config.nLayers, columns: columns,
                                  cleanLogitDiff: sweep.cleanLogitDiff, corruptedLogitDiff: sweep.corruptedLogitDiff)
        progress(cells)
        let grid = try sweep.grid(target, shouldContinue: shouldContinue) { layer, column, diff in
            cells.set(layer: layer, column: column, patchedLogitDiff: diff)
            progress(cells)
        }
        return PatchingCells(grid)
    }

    /// The last position's logit difference answer − wrong, or without a wrong token the answer's
    /// logit minus the mean logit (what TransformerLens's centred unembedding gives).
    private func processedLogit(_ target: LogitTarget, run: RunSnapshot) throws -> Float {
        guard let logits = run.result.lastLogits else { throw ComputeFailure("the run kept no logits") }
        if let wrong = target.wrong { return logits[target.answer] - logits[wrong] }
        return logits[target.answer] - Reduce.sum(logits.pointer, count: logits.count) / Float(logits.count)
    }

    /// Layer-major per-head values of one metric; NaN for heads not reached yet.
    private func headMetric(_ metric: HeadMetric, target: LogitTarget?, run: RunSnapshot, shouldContinue: () -> Bool,
                            progress: ([Double]) -> Void) throws -> [Double] {
        let c = session.config
        let heads = c.nHeads
        var values = [Double](repeating: .nan, count: c.nLayers * heads)
        switch metric {
        case .induction, .previousToken, .duplicateToken, .entropy:
            for l in 0..<c.nLayers {
                guard shouldContinue() else { throw ModelError.cancelled }
                let pattern = try run.result.cache.required(.pattern(l))
                let scores = HeadPatternScores(patterns: [pattern], tokens: run.tokens)
                let layerValues: [Double]
                switch metric {
                case .induction: layerValues = scores.induction
                case .previousToken: layerValues = scores.previousToken
                case .duplicateToken: layerValues = scores.duplicateToken
                default: layerValues = scores.entropy
                }
                values.replaceSubrange((l * heads)..<((l + 1) * heads), with: layerValues)
            }
            return values
        case .repeatedInduction:
            return try session.repeatedSequenceScores(shouldContinue: shouldContinue).induction
        case .ovCopying:
            if let ready = session.readyOVCopyingScores { return ready.scores }
            let weights = session.processedWeights()
            let unembedEmbed = OVCopyingScores.unembedTimesEmbed(weights)
            for l in 0..<c.nLayers {
                guard shouldContinue() else { throw ModelError.cancelled }
                for h in 0..<heads {
                    values[l * heads + h] = try OVCopyingScores.eigenvalues(weights, layer: l, head: h,
                                                                            unembedEmbed: unembedEmbed).copyingScore
                }
                if l < c.nLayers - 1 { progress(values) }
            }
            return values
        case .attribution:
            guard let target else { return values }
            let weights = session.processedWeights()
            let direction = try DirectLogitAttribution.direction(weights, answer: target.answer, wrong: target.wrong)
            let result = try DirectLogitAttribution.heads(session.model.transformer, weights, run.result,
                                                          positions: [run.count - 1], direction: direction,
                                                          includeAttentionBias: false, includeRemainder: false)
            return result.column(positionIndex: 0).map(Double.init)
        }
    }
}

import MechAnalysis
import MechModels
import MechTensor

/// Runs a modular-addition model on every input (a, b) of its story, one forward pass each, a row
/// of `a` at a time: the last layer's MLP activations at the last position, and whether the top
/// next token is the token of (a + b) mod p. Reports the partial sweep every few rows and stops
/// between rows when `shouldContinue` turns false.
struct ModularSweepRun {
    let session: AnalysisSession
    let story: FourierStory
    let prependBOS: Bool

    func sweep(shouldContinue: () -> Bool, progress: (ModularSweep) -> Void) throws -> ModularSweep {
        let c = session.config, model = session.model.transformer, p = story.modulus
        guard !c.attnOnly, c.dMLP > 0 else { throw ComputeFailure("\(session.model.name) has no MLP neurons") }
        let layer = c.nLayers - 1
        let answers = try (0..<p).map { n -> Int in
            let ids = try session.tokenize(String(n), prependBOS: false)
            guard ids.count == 1 else { throw ComputeFailure("the answer '\(n)' is \(ids.count) tokens, not one") }
            return ids[0]
        }
        var sweep = ModularSweep(modulus: p, layer: layer, neurons: c.dMLP)
        for a in 0..<p {
            guard shouldContinue() else { throw ModelError.cancelled }
            for b in 0..<p {
                let tokens = try session.tokenize(story.prompt(a, b), prependBOS: prependBOS)
                let result = try model.run(tokens, caching: .only([.mlpPost(layer)]), logits: .last)
                let post = try result.cache.required(.mlpPost(layer))        // [pos, d_mlp]
                let last = post.pointer + (tokens.count - 1) * c.dMLP
                let base = (a * p + b) * c.dMLP
                sweep.activations.withUnsafeMutableBufferPointer { out in
                    for n in 0..<c.dMLP { out[base + n] = last[n] }
                }
                guard let logits = result.lastLogits else { throw ComputeFailure("the run kept no logits") }
                if TopK.indices(of: logits, k: 1).first == answers[(a + b) % p] { sweep.correct += 1 }
            }
            sweep.rowsDone = a + 1
            if a % 8 == 7, a < p - 1 { progress(sweep) }
        }
        return sweep
    }
}

import MechModels
import MechTensor

/// The logit lens (nostalgebraist, 2020): read the residual stream before each layer through the
/// model's own final LayerNorm and unembedding, to see what the model "would predict" if it
/// stopped there, and where a target token's rank rises through the layers.
///
/// LayerNorm convention: the final LayerNorm is RECOMPUTED for each layer's state (its own mean
/// and scale) — TransformerLens 4's `logit_lens` / `accumulated_resid(apply_ln=True)`, i.e.
/// `apply_ln_to_stack(..., recompute_ln=True)` — not the cached scale that direct logit
/// attribution uses (see `ResidualLayerNorm`). Logits are `LN(x)·W_U' + b_U'` with TransformerLens's
/// processed weights (LayerNorm's affine part folded into W_U', b_U'; W_U' centred over the
/// vocabulary), so probabilities equal the raw model's and the last entry reproduces its output.
///
/// Only the positions asked for are computed: all their (layer, position) rows go through the
/// unembedding together, one [rows, d_model]·[d_model, vocab] product per chunk of 64 rows, on the
/// raw unembedding (see `ProcessedUnembedding` for how W_U' is applied without being formed).
public enum LogitLens {
    /// Rows of the unembedding product computed at once (bounds memory at 64 × vocab floats).
    static let chunkRows = 64

    /// The lens at `positions` (absolute): for each of `0_pre`, … `(L−1)_pre`, `final_post` (plus
    /// each `l_mid` when `includeMid`), the `topK` tokens and each of `targets`' probability and rank.
    public static func read(_ model: Transformer, _ weights: ProcessedWeights, _ run: ForwardResult,
                            positions: [Int], topK: Int = 10, targets: [Int] = [],
                            includeMid: Bool = false) throws -> LogitLensResult {
        for t in targets where t < 0 || t >= model.config.vocabSize {
            throw ResidualAnalysisError.tokenOutOfRange(token: t, vocabSize: model.config.vocabSize)
        }
        let stack = try ResidualDecomposition.accumulated(model, run, positions: positions, includeMid: includeMid,
                                                          layerNorm: .recomputedFinal)
        let flat = stack.values.reshaped([stack.components.count * positions.count, model.config.dModel])
        let rows = readNormalized(flat, weights, topK: topK, targets: targets)
        let readings = (0..<stack.components.count).map { e in
            Array(rows[(e * positions.count)..<((e + 1) * positions.count)])
        }
        return LogitLensResult(entries: stack.components, positions: positions, readings: readings)
    }

    /// Reads any residual-stream vectors ([n, d_model]) through the final LayerNorm (recomputed per
    /// vector) and the unembedding — a head's output, a neuron's output weights, a steering vector.
    public static func readVectors(_ vectors: Tensor, _ model: Transformer, _ weights: ProcessedWeights,
                                   topK: Int = 10, targets: [Int] = []) throws -> [LogitLensReading] {
        for t in targets where t < 0 || t >= model.config.vocabSize {
            throw ResidualAnalysisError.tokenOutOfRange(token: t, vocabSize: model.config.vocabSize)
        }
        let d = model.config.dModel
        var x = vectors.reshaped([vectors.count / d, d])
        if model.config.hasLayerNorm { x = model.config.normalization.normalize(x).normalized }
        return readNormalized(x, weights, topK: topK, targets: targets)
    }

    /// Rows already through the final LayerNorm's normalisation ([n, d_model]) → readings.
    static func readNormalized(_ x: Tensor, _ weights: ProcessedWeights, topK: Int, targets: [Int]) -> [LogitLensReading] {
        let n = x.shape[0], d = x.shape[1], vocab = weights.vocabularySize
        var out: [LogitLensReading] = []
        out.reserveCapacity(n)
        let chunk = Tensor(uninitialized: [min(n, chunkRows), vocab])
        var start = 0
        while start < n {
            let m = min(chunkRows, n - start)
            weights.unembedding.logits(x.pointer + start * d, rows: m, into: chunk.pointer, addBias: true)
            for r in 0..<m {
                let readout = LogitLensVocabularyReadout(logits: chunk.pointer + r * vocab, count: vocab)
                out.append(LogitLensReading(top: readout.top(topK), targets: targets.map(readout.reading),
                                            entropy: Float(readout.entropy)))
            }
            start += m
        }
        return out
    }
}

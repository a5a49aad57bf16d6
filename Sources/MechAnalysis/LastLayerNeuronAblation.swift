import MechModels
import MechTensor

/// Neuron ablation in the LAST block, without a forward pass per neuron. Replacing neuron n's
/// activation by a value only changes that block's mlp_out, by −c[p]·W_out[n] at each position p
/// (c = activation − value), and nothing after it but the final LayerNorm and the unembedding. With
/// x the final residual, x_c its centred form, w_c = W_out[n] centred and γ, β the final LayerNorm:
///
///   logits'[p, v] = (A[p, v] − c[p]·B[n, v]) / s'[p] + E[v],
///   A = (x_c ⊙ γ)·W_Uᵀ,  B = (w_c ⊙ γ)·W_Uᵀ,  E = β·W_Uᵀ + b_U,
///   s'[p]² = var(x_c − c·w_c) + ε = var_x − 2c·⟨x_c, w_c⟩/d + c²·⟨w_c, w_c⟩/d + ε
///
/// (without a final LayerNorm: no centring, γ = 1, β = 0, s' = 1; with RMSNorm: no centring, β = 0). So one product A for the prompt,
/// one product B per batch of neurons, and a rank-one log-sum-exp per (neuron, position) give every
/// neuron's logit difference and mean next-token loss: the same numbers as a resumed run per neuron,
/// to float32 rounding.
struct LastLayerNeuronAblation {
    let transformer: Transformer
    let tokens: [Int]
    let metric: LogitDiffMetric
    /// The unablated run's final residual (hook_resid_post of the last block) [T, d].
    let residual: Tensor
    /// The unablated run's hook_post of the last block [T, d_mlp].
    let activations: Tensor

    /// Neurons per product B (bounds memory at `batch` × vocab floats).
    static let batch = 128

    /// (logit difference, mean next-token loss) for each neuron of `neurons` replaced by `values[i]`.
    func effects(neurons: [Int], values: [Float], shouldContinue: () -> Bool,
                 progress: (Int) -> Void) throws -> [(logitDiff: Float, loss: Float?)] {
        let c = transformer.config, w = transformer.weights
        let T = tokens.count, d = c.dModel, vocab = c.vocabSize, dMLP = c.dMLP
        let layer = c.nLayers - 1
        let wOut = w.block(layer).mlpOut!
        let ln = w.lnFinal, eps = Double(c.layerNormEpsilon ?? 0)
        let centres = c.normalization.centres   // LayerNorm centres; RMSNorm only rescales

        // x_c (centred with LayerNorm) and its variance per position.
        let xc = residual.copy()
        var varianceX = [Double](repeating: 0, count: T)
        if ln != nil {
            for p in 0..<T { varianceX[p] = Self.centre(xc.pointer + p * d, d, subtractMean: centres) }
        }
        // A = (x_c ⊙ γ)·W_Uᵀ [T, V]; E = β·W_Uᵀ + b_U [V].
        let a = unembedRows(Self.scaled(xc, by: ln?.weight), rows: T)
        let e = Tensor(zeros: [vocab])
        if let bias = w.unembeddingBias { e.pointer.update(from: bias.pointer, count: vocab) }
        if let ln {
            BLAS.gemv(rows: vocab, cols: d, a: w.unembedding.pointer, lda: d, x: ln.bias.pointer, beta: 1, y: e.pointer)
        }
        let predicting = T - 1                                  // positions whose next token is known
        var results: [(logitDiff: Float, loss: Float?)] = []
        results.reserveCapacity(neurons.count)
        for start in stride(from: 0, to: neurons.count, by: Self.batch) {
            guard shouldContinue() else { throw ModelError.cancelled }
            let chunk = Array(neurons[start..<min(start + Self.batch, neurons.count)])
            let K = chunk.count
            // w_c rows [K, d], their ⟨w_c, w_c⟩ and ⟨x_c, w_c⟩ [K, T].
            let wc = Tensor(uninitialized: [K, d])
            var norms = [Double](repeating: 0, count: K)
            for (k, n) in chunk.enumerated() {
                (wc.pointer + k * d).update(from: wOut.pointer + n * d, count: d)
                if ln != nil { norms[k] = Self.centre(wc.pointer + k * d, d, subtractMean: centres) * Double(d) }
            }
            let cross = Tensor(uninitialized: [K, T])
            BLAS.gemm(transposeB: true, m: K, n: T, k: d, a: wc.pointer, lda: d, b: xc.pointer, ldb: d,
                      c: cross.pointer, ldc: T)
            let b = unembedRows(Self.scaled(wc, by: ln?.weight), rows: K)     // [K, V]
            // Coefficient c = activation − value and inverse scale 1/s' per (neuron, position).
            let coefficient = Tensor(uninitialized: [K, T]), inverseScale = Tensor(uninitialized: [K, T])
            for (k, n) in chunk.enumerated() {
                for p in 0..<T {
                    let cp = activations.pointer[p * dMLP + n] - values[start + k]
                    coefficient.pointer[k * T + p] = cp
                    if ln != nil {
                        let cd = Double(cp)
                        let variance = varianceX[p] - 2 * cd * Double(cross.pointer[k * T + p]) / Double(d)
                            + cd * cd * norms[k] / Double(d)
                        inverseScale.pointer[k * T + p] = Float(1 / (max(variance, 0) + eps).squareRoot())
                    } else {
                        inverseScale.pointer[k * T + p] = 1
                    }
                }
            }
            var normalisers = [Double](repeating: 0, count: K * T)
            if predicting > 0 {
                // Rows 0..<T−1 of each neuron's [K, T] coefficients: lay them out as [K, T − 1].
                let cs = Tensor(uninitialized: [K, predicting]), ss = Tensor(uninitialized: [K, predicting])
                for k in 0..<K {
                    (cs.pointer + k * predicting).update(from: coefficient.pointer + k * T, count: predicting)
                    (ss.pointer + k * predicting).update(from: inverseScale.pointer + k * T, count: predicting)
                }
                normalisers.withUnsafeMutableBufferPointer { out in
                    RankOneLogSumExp.compute(a: a.pointer, positions: predicting, b: b.pointer, rows: K,
                                             e: e.pointer, count: vocab, coefficient: cs.pointer, scale: ss.pointer,
                                             into: out.baseAddress!)
                }
            }
            for k in 0..<K {
                func logit(_ p: Int, _ v: Int) -> Float {
                    let i = k * T + p
                    return (a.pointer[p * vocab + v] - coefficient.pointer[i] * b.pointer[k * vocab + v])
                        * inverseScale.pointer[i] + e.pointer[v]
                }
                let diff = logit(T - 1, metric.answer) - logit(T - 1, metric.wrong)
                var loss: Float?
                if predicting > 0 {
                    var total = 0.0
                    for p in 0..<predicting {
                        total += normalisers[k * predicting + p] - Double(logit(p, tokens[p + 1]))
                    }
                    loss = Float(total / Double(predicting))
                }
                results.append((diff, loss))
            }
            progress(results.count)
        }
        return results
    }

    /// rows·W_Uᵀ: [rows, d] → [rows, V] (no bias).
    private func unembedRows(_ x: Tensor, rows: Int) -> Tensor {
        let c = transformer.config
        let out = Tensor(uninitialized: [rows, c.vocabSize])
        BLAS.gemm(transposeB: true, m: rows, n: c.vocabSize, k: c.dModel, a: x.pointer, lda: c.dModel,
                  b: transformer.weights.unembedding.pointer, ldb: c.dModel, c: out.pointer, ldc: c.vocabSize)
        return out
    }

    /// Centres `count` floats in place (LayerNorm; RMSNorm leaves them) and returns their mean of
    /// squares after that: the variance for LayerNorm, mean(x²) for RMSNorm.
    private static func centre(_ x: UnsafeMutablePointer<Float>, _ count: Int, subtractMean: Bool) -> Double {
        var sum = 0.0
        for i in 0..<count { sum += Double(x[i]) }
        let mean = subtractMean ? Float(sum / Double(count)) : 0
        var squares = 0.0
        for i in 0..<count {
            x[i] -= mean
            squares += Double(x[i]) * Double(x[i])
        }
        return squares / Double(count)
    }

    /// Each row multiplied elementwise by `gamma` (a copy), or `x` itself without one.
    private static func scaled(_ x: Tensor, by gamma: Tensor?) -> Tensor {
        guard let gamma else { return x }
        let d = x.shape.last!, out = x.copy()
        for r in 0..<(x.count / d) {
            let row = out.pointer + r * d
            for i in 0..<d { row[i] *= gamma.pointer[i] }
        }
        return out
    }
}

import MechTensor

/// The outcome of one forward pass: logits for every position and the activations asked for.
public struct ForwardResult: @unchecked Sendable {
    public let tokens: [Int]
    /// [rows, vocab]: every position's logits, only the last position's, or none (see `LogitRows`).
    public let logits: Tensor
    public let cache: ActivationCache

    /// The last position's logits, when any were computed.
    public var lastLogits: Tensor? { logits.shape[0] > 0 && logits.shape[1] > 0 ? logits.row(logits.shape[0] - 1) : nil }
}

/// Which positions get logits in a forward pass. The unembedding is the single largest product of a
/// small model's pass (a third of GPT-2 small's work at 128 tokens), and a next-token view needs
/// one row; `Transformer.logits(at:from:)` computes any other position later from the cache.
public enum LogitRows: Sendable {
    case all, last, none
}

/// A GPT-2-family transformer (pre-LN blocks, learned positions, causal attention) that runs
/// with hooks: every activation is cached under its TransformerLens name and may be edited in
/// flight. The forward pass reads like nanoGPT's `model.py`: one function per block part.
public final class Transformer: @unchecked Sendable {
    public let config: TransformerConfig
    public let weights: TransformerWeights
    /// Query rows per attention product: skips the masked upper triangle at a block's granularity.
    static let queryBlock = 128

    public init(config: TransformerConfig, weights: TransformerWeights) {
        self.config = config
        self.weights = weights
    }

    public convenience init(config: TransformerConfig, source: WeightSource) throws {
        self.init(config: config, weights: try TransformerWeights(config: config, source: source))
    }

    /// Runs the model on `tokens`, applying `edits` where their hooks fire and keeping what
    /// `caching` asks for. `shouldContinue` is polled between layers; returning false cancels.
    public func run(_ tokens: [Int], edits: [ActivationEdit] = [], caching: CachePolicy = .all,
                    computeLogits: Bool = true,
                    shouldContinue: () -> Bool = { true }) throws -> ForwardResult {
        try run(tokens, edits: edits, caching: caching, logits: computeLogits ? .all : .none,
                shouldContinue: shouldContinue)
    }

    /// As `run(_:edits:caching:computeLogits:shouldContinue:)`, choosing which positions get logits.
    public func run(_ tokens: [Int], edits: [ActivationEdit] = [], caching: CachePolicy = .all,
                    logits logitRows: LogitRows,
                    shouldContinue: () -> Bool = { true }) throws -> ForwardResult {
        guard !tokens.isEmpty else { throw ModelError.emptyPrompt }
        guard tokens.count <= config.nContext else {
            throw ModelError.promptTooLong(tokens: tokens.count, context: config.nContext)
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= config.vocabSize }) {
            throw ModelError.tokenOutOfRange(token: bad, vocabSize: config.vocabSize)
        }
        var pass = Pass(edits: edits, caching: caching)

        // Embeddings: residual [pos, d_model]
        let embed = pass.hook(.embed, weights.tokenEmbedding.gatherRows(tokens))
        let posEmbed = pass.hook(.posEmbed, weights.positionEmbedding.gatherRows(Array(0..<tokens.count)))
        var residual = embed + posEmbed

        for layer in 0..<config.nLayers {
            guard shouldContinue() else { throw ModelError.cancelled }
            residual = block(layer, residual, &pass)
        }

        // Final LayerNorm and unembedding: logits [pos, vocab]
        let final = finalLayerNorm(residual, &pass)
        let logits: Tensor
        switch logitRows {
        case .all: logits = unembed(final)
        case .last: logits = unembed(final.rows((tokens.count - 1)..<tokens.count))
        case .none: logits = Tensor(zeros: [tokens.count, 0])
        }
        return ForwardResult(tokens: tokens, logits: logits, cache: pass.cache)
    }

    /// The final LayerNorm (identity for models without LayerNorm), hooked as ln_final.
    func finalLayerNorm(_ residual: Tensor, _ pass: inout Pass) -> Tensor {
        guard let ln = weights.lnFinal, let eps = config.layerNormEpsilon else { return residual }
        let normed = LayerNorm.normalize(residual, epsilon: eps)
        pass.hook(.lnFinalScale, normed.scale)
        return LayerNorm.affine(pass.hook(.lnFinalNormalized, normed.normalized), weight: ln.weight, bias: ln.bias)
    }

    /// Logits at the given positions of a finished run, from its cached final residual
    /// (`ln_final.hook_normalized`, or the last block's `hook_resid_post` without LayerNorm): [n, vocab].
    public func logits(at positions: [Int], from cache: ActivationCache) -> Tensor? {
        let source: HookPoint = config.hasLayerNorm ? .lnFinalNormalized : .residPost(config.nLayers - 1)
        guard let x = cache[source], positions.allSatisfy({ $0 >= 0 && $0 < x.shape[0] }) else { return nil }
        var rows = x.gatherRows(positions)
        if let ln = weights.lnFinal { rows = LayerNorm.affine(rows, weight: ln.weight, bias: ln.bias) }
        return unembed(rows)
    }

    /// Logits for residual-stream rows that have already been through the final LayerNorm:
    /// [n, d_model] → [n, vocab].
    public func unembed(_ x: Tensor) -> Tensor {
        let n = x.shape[0], vocab = config.vocabSize
        let logits = Tensor(uninitialized: [n, vocab])
        var beta: Float = 0
        if let bias = weights.unembeddingBias {
            for r in 0..<n { (logits.pointer + r * vocab).update(from: bias.pointer, count: vocab) }
            beta = 1
        }
        BLAS.gemm(transposeB: true, m: n, n: vocab, k: config.dModel, a: x.pointer, lda: config.dModel,
                  b: weights.unembedding.pointer, ldb: config.dModel, beta: beta, c: logits.pointer, ldc: vocab)
        return logits
    }

    // MARK: - Blocks

    /// resid_post = resid_mid + MLP(LN2(resid_mid)),  resid_mid = resid_pre + Attn(LN1(resid_pre)).
    /// With a `prefix`, `residPre` holds only the positions after the prefix's, and attention also
    /// reads the prefix's cached keys and values (see PrefixReuse.swift).
    func block(_ l: Int, _ residPre: Tensor, _ pass: inout Pass, prefix: CachedKeysValues? = nil) -> Tensor {
        let w = weights.blocks[l]
        let x = pass.hook(.residPre(l), residPre)                       // [pos, d_model]
        let attnIn = layerNorm(x, w.ln1, scale: .ln1Scale(l), normalized: .ln1Normalized(l), &pass)
        let attnOut = pass.hook(.attnOut(l), attention(l, attnIn, &pass, prefix: prefix))
        let mid = x + attnOut
        if config.attnOnly {
            return pass.hook(.residPost(l), mid)
        }
        let residMid = pass.hook(.residMid(l), mid)
        let mlpIn = layerNorm(residMid, w.ln2, scale: .ln2Scale(l), normalized: .ln2Normalized(l), &pass)
        let mlpOut = pass.hook(.mlpOut(l), mlp(l, mlpIn, &pass))
        return pass.hook(.residPost(l), residMid + mlpOut)
    }

    private func layerNorm(_ x: Tensor, _ ln: LayerNormWeights?, scale: HookPoint, normalized: HookPoint,
                           _ pass: inout Pass) -> Tensor {
        guard let ln, let eps = config.layerNormEpsilon else { return x }
        let r = LayerNorm.normalize(x, epsilon: eps)
        pass.hook(scale, r.scale)                                        // [pos, 1]
        let hooked = pass.hook(normalized, r.normalized)                 // [pos, d_model], before w and b
        return LayerNorm.affine(hooked, weight: ln.weight, bias: ln.bias)
    }

    /// Causal multi-head self-attention: per head h, pattern_h = softmax(q_h·k_hᵀ/√d_head),
    /// z_h = pattern_h·v_h, and the output is z·W_O + b_O. Queries are the rows of `x`; keys and
    /// values are the `prefix`'s cached rows (earlier positions) followed by those of `x`.
    private func attention(_ l: Int, _ x: Tensor, _ pass: inout Pass, prefix: CachedKeysValues?) -> Tensor {
        let w = weights.blocks[l]
        let t = x.shape[0], d = config.dModel, heads = config.nHeads, dh = config.dHead
        // q, k, v [pos, head, d_head]: three products against column blocks of c_attn.
        func project(_ part: Int) -> Tensor {
            let out = Tensor(uninitialized: [t, heads, dh])
            for p in 0..<t { (out.pointer + p * d).update(from: w.qkvBias.pointer + part * d, count: d) }
            BLAS.gemm(m: t, n: d, k: d, a: x.pointer, lda: d, b: w.qkv.pointer + part * d, ldb: 3 * d,
                      beta: 1, c: out.pointer, ldc: d)
            return out
        }
        let q = pass.hook(.q(l), project(0))
        var k = pass.hook(.k(l), project(1))
        var v = pass.hook(.v(l), project(2))
        if let prefix {                                                  // earlier positions, from a cache
            k = prefix.keys(followedBy: k)
            v = prefix.values(followedBy: v)
        }
        let keyCount = k.shape[0]                                        // = t without a prefix

        // scores [head, query, key] = q_h · k_hᵀ / √d_head, in blocks of queries so the masked
        // (future) part is never computed; CausalSoftmax fills it with −∞. Query q sits at
        // position offset + q (offset > 0 when earlier positions come from a cached prefix).
        let offset = keyCount - t
        let scores = Tensor(uninitialized: [heads, t, keyCount])
        let scaleFactor = 1 / Float(dh).squareRoot()
        for h in 0..<heads {
            for q0 in stride(from: 0, to: t, by: Self.queryBlock) {
                let q1 = min(q0 + Self.queryBlock, t)
                BLAS.gemm(transposeB: true, m: q1 - q0, n: offset + q1, k: dh, alpha: scaleFactor,
                          a: q.pointer + q0 * d + h * dh, lda: d, b: k.pointer + h * dh, ldb: d,
                          c: scores.pointer + (h * t + q0) * keyCount, ldc: keyCount)
            }
        }
        let pattern = CausalSoftmax.apply(scores: scores)                // masks scores to −∞ in place
        pass.hook(.attnScores(l), scores)
        let finalPattern = pass.hook(.pattern(l), pattern)               // [head, query, key]

        // z [pos, head, d_head] = pattern_h · v_h (each query block reads only keys up to its end)
        let z = Tensor(uninitialized: [t, heads, dh])
        for h in 0..<heads {
            for q0 in stride(from: 0, to: t, by: Self.queryBlock) {
                let q1 = min(q0 + Self.queryBlock, t)
                BLAS.gemm(m: q1 - q0, n: dh, k: offset + q1, a: finalPattern.pointer + (h * t + q0) * keyCount,
                          lda: keyCount, b: v.pointer + h * dh, ldb: d, c: z.pointer + q0 * d + h * dh, ldc: d)
            }
        }
        let zHooked = pass.hook(.z(l), z)
        return zHooked.reshaped([t, d]).linear(weight: w.attnOut, bias: w.attnOutBias)  // [pos, d_model]
    }

    /// MLP: post = act(x·W_in + b_in), out = post·W_out + b_out.
    private func mlp(_ l: Int, _ x: Tensor, _ pass: inout Pass) -> Tensor {
        let w = weights.blocks[l]
        let pre = pass.hook(.mlpPre(l), x.linear(weight: w.mlpIn!, bias: w.mlpInBias!))   // [pos, d_mlp]
        let post = pre.copy()
        config.activation.apply(inPlace: post.pointer, count: post.count)
        let hookedPost = pass.hook(.mlpPost(l), post)                                      // [pos, d_mlp]
        return hookedPost.linear(weight: w.mlpOut!, bias: w.mlpOutBias!)                   // [pos, d_model]
    }

    // MARK: - Per-head outputs

    /// Each head's contribution to hook_attn_out, z_h·W_O[h] (no bias), as TransformerLens's
    /// `hook_result`: [pos, head, d_model]. Computed on demand from a cached hook_z.
    public func headResults(layer l: Int, z: Tensor) -> Tensor {
        let t = z.shape[0], d = config.dModel, heads = config.nHeads, dh = config.dHead
        let out = Tensor(uninitialized: [t, heads, d])
        for h in 0..<heads {
            BLAS.gemm(m: t, n: d, k: dh, a: z.pointer + h * dh, lda: d,
                      b: weights.blocks[l].attnOut.pointer + h * dh * d, ldb: d,
                      c: out.pointer + h * d, ldc: heads * d)
        }
        return out
    }
}

/// Per-run bookkeeping: applies edits at each hook and records what the cache policy keeps.
struct Pass {
    let edits: [HookPoint: [ActivationEdit]]
    let caching: CachePolicy
    var cache = ActivationCache()

    init(edits: [ActivationEdit], caching: CachePolicy) {
        self.edits = Dictionary(grouping: edits, by: \.hook)
        self.caching = caching
    }

    @discardableResult
    mutating func hook(_ point: HookPoint, _ value: Tensor) -> Tensor {
        var result = value
        if let list = edits[point] {
            // Edit a copy: the incoming tensor may also be cached under another hook
            // (resid_pre of block l is resid_post of block l−1).
            result = value.copy()
            for edit in list { edit.apply(result) }
        }
        if caching.keeps(point) { cache[point] = result }
        return result
    }
}

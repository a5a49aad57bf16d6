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

/// A transformer (pre-LN decoder or post-LN BERT encoder blocks; learned, rotary or no positions;
/// grouped-query causal or bidirectional attention; plain or gated MLPs; sequential or parallel blocks,
/// per `config.architecture`) that runs
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

    /// As `run(_:edits:caching:computeLogits:shouldContinue:)`, choosing which positions get logits
    /// (none for a model without an LM head). `tokenTypes` are BERT's segment ids (all 0 when nil,
    /// as TransformerLens and transformers default them).
    public func run(_ tokens: [Int], tokenTypes: [Int]? = nil, edits: [ActivationEdit] = [],
                    caching: CachePolicy = .all, logits logitRows: LogitRows,
                    shouldContinue: () -> Bool = { true }) throws -> ForwardResult {
        guard !tokens.isEmpty else { throw ModelError.emptyPrompt }
        guard tokens.count <= config.nContext else {
            throw ModelError.promptTooLong(tokens: tokens.count, context: config.nContext)
        }
        if let bad = tokens.first(where: { $0 < 0 || $0 >= config.vocabSize }) {
            throw ModelError.tokenOutOfRange(token: bad, vocabSize: config.vocabSize)
        }
        var pass = Pass(edits: edits, caching: caching)
        var residual = try embed(tokens, tokenTypes: tokenTypes, &pass)   // [pos, d_model]

        for layer in 0..<config.nLayers {
            guard shouldContinue() else { throw ModelError.cancelled }
            residual = block(layer, residual, &pass)
        }

        // Final LayerNorm and unembedding: logits [pos, vocab]
        let final = finalLayerNorm(residual, &pass)
        let logits: Tensor
        switch config.architecture.lmHead ? logitRows : .none {
        case .all: logits = unembed(final)
        case .last: logits = unembed(final.rows((tokens.count - 1)..<tokens.count))
        case .none: logits = Tensor(zeros: [tokens.count, 0])
        }
        return ForwardResult(tokens: tokens, logits: logits, cache: pass.cache)
    }

    /// The residual stream's start [pos, d_model]: token embeddings plus learned positions (rotary
    /// ones enter in attention); for BERT also token-type embeddings, the sum LayerNormed (BertEmbed).
    func embed(_ tokens: [Int], tokenTypes: [Int]?, _ pass: inout Pass) throws -> Tensor {
        let positions = Array(0..<tokens.count)
        guard let norm = weights.embeddingNorm else {
            var residual = pass.hook(.embed, weights.tokenEmbedding.gatherRows(tokens))
            if let table = weights.positionEmbedding {
                residual = residual + pass.hook(.posEmbed, table.gatherRows(positions))
            }
            return residual
        }
        var sum = pass.hook(.encoderEmbed, weights.tokenEmbedding.gatherRows(tokens))
        if let table = weights.positionEmbedding {
            sum = sum + pass.hook(.encoderPosEmbed, table.gatherRows(positions))
        }
        if let table = weights.tokenTypeEmbedding {
            let types = tokenTypes ?? [Int](repeating: 0, count: tokens.count)
            guard types.count == tokens.count else {
                throw ModelError.tokenTypesMismatch(tokens: tokens.count, tokenTypes: types.count)
            }
            if let bad = types.first(where: { $0 < 0 || $0 >= table.shape[0] }) {
                throw ModelError.tokenTypeOutOfRange(tokenType: bad, types: table.shape[0])
            }
            sum = sum + pass.hook(.tokenTypeEmbed, table.gatherRows(types))
        }
        let normed = normalize(sum, norm, scale: .embedLNScale, normalized: .embedLNNormalized, &pass)
        return pass.hook(.fullEmbed, normed)                                   // [pos, d_model]
    }

    /// The final LayerNorm or RMSNorm (identity for models without one), hooked as ln_final.
    func finalLayerNorm(_ residual: Tensor, _ pass: inout Pass) -> Tensor {
        guard let ln = weights.lnFinal, config.architecture.finalNorm else { return residual }
        let normed = config.normalization.normalize(residual)
        pass.hook(.lnFinalScale, normed.scale)
        return LayerNorm.affine(pass.hook(.lnFinalNormalized, normed.normalized), weight: ln.weight, bias: ln.bias)
    }

    /// Logits at the given positions of a finished run, from its cached final residual
    /// (`ln_final.hook_normalized`, or the last block's `hook_resid_post` without LayerNorm): [n, vocab].
    public func logits(at positions: [Int], from cache: ActivationCache) -> Tensor? {
        guard config.architecture.lmHead else { return nil }
        let source: HookPoint = config.architecture.finalNorm ? .lnFinalNormalized : .residPost(config.nLayers - 1)
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

    /// resid_post = resid_mid + MLP(LN2(resid_mid)),  resid_mid = resid_pre + Attn(LN1(resid_pre)),
    /// or, with parallel attention and MLP (GPT-NeoX), resid_post = resid_pre + Attn(LN1(resid_pre))
    /// + MLP(LN2(resid_pre)). With a `prefix`, `residPre` holds only the positions after the prefix's,
    /// and attention also reads the prefix's cached keys and values (see PrefixReuse.swift).
    func block(_ l: Int, _ residPre: Tensor, _ pass: inout Pass, prefix: CachedKeysValues? = nil) -> Tensor {
        let w = weights.block(l)                                         // converted here for 16-bit checkpoints
        let x = pass.hook(.residPre(l), residPre)                       // [pos, d_model]
        if config.architecture.blockNorm == .postLN { return postLNBlock(l, w, x, &pass) }
        let attnIn = normalize(x, w.ln1, scale: .ln1Scale(l), normalized: .ln1Normalized(l), &pass)
        let attnOut = pass.hook(.attnOut(l), attention(l, w, attnIn, &pass, prefix: prefix))  // [pos, d_model]
        if config.attnOnly {
            return pass.hook(.residPost(l), x + attnOut)
        }
        if config.architecture.parallelAttentionMLP {
            let mlpIn = normalize(x, w.ln2, scale: .ln2Scale(l), normalized: .ln2Normalized(l), &pass)
            let mlpOut = pass.hook(.mlpOut(l), mlp(l, w, mlpIn, &pass))       // [pos, d_model]
            return pass.hook(.residPost(l), x + attnOut + mlpOut)
        }
        let residMid = pass.hook(.residMid(l), x + attnOut)               // [pos, d_model]
        let mlpIn = normalize(residMid, w.ln2, scale: .ln2Scale(l), normalized: .ln2Normalized(l), &pass)
        let mlpOut = pass.hook(.mlpOut(l), mlp(l, w, mlpIn, &pass))           // [pos, d_model]
        return pass.hook(.residPost(l), residMid + mlpOut)
    }

    /// A post-LN (BERT) block, as TransformerLens's BertBlock: resid_mid = resid_pre + Attn(resid_pre),
    /// resid_post = LN1(resid_mid) + MLP(LN1(resid_mid)), output LN2(resid_post).
    private func postLNBlock(_ l: Int, _ w: BlockWeights, _ x: Tensor, _ pass: inout Pass) -> Tensor {
        let attnOut = pass.hook(.attnOut(l), attention(l, w, x, &pass, prefix: nil))   // [pos, d_model]
        let residMid = pass.hook(.residMid(l), x + attnOut)
        let mlpIn = normalize(residMid, w.ln1, scale: .ln1Scale(l), normalized: .ln1Normalized(l), &pass)
        let mlpOut = pass.hook(.mlpOut(l), mlp(l, w, mlpIn, &pass))
        let residPost = pass.hook(.residPost(l), mlpIn + mlpOut)
        let out = normalize(residPost, w.ln2, scale: .ln2Scale(l), normalized: .ln2Normalized(l), &pass)
        return pass.hook(.normalizedResidPost(l), out)
    }

    /// A block's (or BERT's embedding) LayerNorm or RMSNorm: hook_scale, hook_normalized (before the
    /// weight), then ·w + b.
    private func normalize(_ x: Tensor, _ ln: LayerNormWeights?, scale: HookPoint, normalized: HookPoint,
                           _ pass: inout Pass) -> Tensor {
        guard let ln, config.hasLayerNorm else { return x }
        let r = config.normalization.normalize(x)
        pass.hook(scale, r.scale)                                        // [pos, 1]
        let hooked = pass.hook(normalized, r.normalized)                 // [pos, d_model], before w and b
        return LayerNorm.affine(hooked, weight: ln.weight, bias: ln.bias)
    }

    /// Multi-head self-attention, causal or (encoders) bidirectional: per query head h reading key/value head g = h / group,
    /// pattern_h = softmax(q_h·k_gᵀ/√d_head), z_h = pattern_h·v_g, and the output is z·W_O + b_O.
    /// Rotary models rotate q and k first (hook_rot_q, hook_rot_k). Queries are the rows of `x`;
    /// keys and values are the `prefix`'s cached rows (earlier positions) followed by those of `x`.
    private func attention(_ l: Int, _ w: BlockWeights, _ x: Tensor, _ pass: inout Pass,
                           prefix: CachedKeysValues?) -> Tensor {
        let a = config.architecture.attention
        let t = x.shape[0], heads = a.nHeads, kvHeads = a.nKVHeads, dh = a.dHead
        let qWidth = heads * dh, kvWidth = kvHeads * dh
        var q = pass.hook(.q(l), w.q.apply(x, bias: w.bQ).reshaped([t, heads, dh]))      // [pos, head, d_head]
        var k = pass.hook(.k(l), w.k.apply(x, bias: w.bK).reshaped([t, kvHeads, dh]))    // [pos, kv_head, d_head]
        var v = pass.hook(.v(l), w.v.apply(x, bias: w.bV).reshaped([t, kvHeads, dh]))    // [pos, kv_head, d_head]
        let offset = prefix?.count ?? 0                                  // position of query row 0
        if let rotary = config.positions.rotary {
            let table = RotaryTable(inverseFrequencies: rotary.inverseFrequencies, positions: offset..<(offset + t))
            q = pass.hook(.rotQ(l), table.apply(q))                      // [pos, head, d_head]
            k = pass.hook(.rotK(l), table.apply(k))                      // [pos, kv_head, d_head]
        }
        if let prefix {                                                  // earlier positions, from a cache
            k = prefix.keys(followedBy: k)
            v = prefix.values(followedBy: v)
        }
        let keyCount = k.shape[0]                                        // = offset + t

        // scores [head, query, key] = q_h · k_gᵀ / √d_head, in blocks of queries so the masked
        // (future) part is never computed; CausalSoftmax fills it with −∞. Query q sits at
        // position offset + q (offset > 0 when earlier positions come from a cached prefix).
        let scores = Tensor(uninitialized: [heads, t, keyCount])
        let scaleFactor = 1 / Float(dh).squareRoot()
        // Keys a query block reads: up to its last query when causal, all of them when bidirectional.
        let keysUpTo: (Int) -> Int = a.causal ? { offset + $0 } : { _ in keyCount }
        for h in 0..<heads {
            let g = h / a.groupSize
            for q0 in stride(from: 0, to: t, by: Self.queryBlock) {
                let q1 = min(q0 + Self.queryBlock, t)
                BLAS.gemm(transposeB: true, m: q1 - q0, n: keysUpTo(q1), k: dh, alpha: scaleFactor,
                          a: q.pointer + q0 * qWidth + h * dh, lda: qWidth, b: k.pointer + g * dh, ldb: kvWidth,
                          c: scores.pointer + (h * t + q0) * keyCount, ldc: keyCount)
            }
        }
        let pattern = CausalSoftmax.apply(scores: scores, causal: a.causal)  // masks scores to −∞ in place
        pass.hook(.attnScores(l), scores)
        let finalPattern = pass.hook(.pattern(l), pattern)               // [head, query, key]

        // z [pos, head, d_head] = pattern_h · v_g (each query block reads only keys up to its end)
        let z = Tensor(uninitialized: [t, heads, dh])
        for h in 0..<heads {
            let g = h / a.groupSize
            for q0 in stride(from: 0, to: t, by: Self.queryBlock) {
                let q1 = min(q0 + Self.queryBlock, t)
                BLAS.gemm(m: q1 - q0, n: dh, k: keysUpTo(q1), a: finalPattern.pointer + (h * t + q0) * keyCount,
                          lda: keyCount, b: v.pointer + g * dh, ldb: kvWidth, c: z.pointer + q0 * qWidth + h * dh,
                          ldc: qWidth)
            }
        }
        let zHooked = pass.hook(.z(l), z)
        return w.o.apply(zHooked.reshaped([t, qWidth]), bias: w.attnOutBias)  // [pos, d_model]
    }

    /// MLP, plain: post = act(x·W_in + b_in); gated (SwiGLU): pre = x·W_gate + b_gate,
    /// pre_linear = x·W_in + b_in, post = act(pre) ⊙ pre_linear. Then out = post·W_out + b_out.
    private func mlp(_ l: Int, _ w: BlockWeights, _ x: Tensor, _ pass: inout Pass) -> Tensor {
        let post: Tensor
        if let gate = w.gate {
            let pre = pass.hook(.mlpPre(l), gate.apply(x, bias: w.mlpGateBias))          // [pos, d_mlp]
            let linear = pass.hook(.mlpPreLinear(l), w.up!.apply(x, bias: w.mlpInBias)) // [pos, d_mlp]
            post = pre.copy()
            config.activation.apply(inPlace: post.pointer, count: post.count)
            for i in 0..<post.count { post.pointer[i] *= linear.pointer[i] }
        } else {
            let pre = pass.hook(.mlpPre(l), w.up!.apply(x, bias: w.mlpInBias))       // [pos, d_mlp]
            post = pre.copy()
            config.activation.apply(inPlace: post.pointer, count: post.count)
        }
        let hookedPost = pass.hook(.mlpPost(l), post)                                      // [pos, d_mlp]
        return w.down!.apply(hookedPost, bias: w.mlpOutBias)                    // [pos, d_model]
    }

    // MARK: - Per-head outputs

    /// Each head's contribution to hook_attn_out, z_h·W_O[h] (no bias), as TransformerLens's
    /// `hook_result`: [pos, head, d_model]. Computed on demand from a cached hook_z.
    public func headResults(layer l: Int, z: Tensor) -> Tensor {
        let t = z.shape[0], d = config.dModel, heads = config.nHeads, dh = config.dHead
        let out = Tensor(uninitialized: [t, heads, d])                   // [pos, head, d_model]
        let wO = weights.block(l).attnOut                                // [head·d_head, d_model]
        for h in 0..<heads {
            BLAS.gemm(m: t, n: d, k: dh, a: z.pointer + h * dh, lda: heads * dh,
                      b: wO.pointer + h * dh * d, ldb: d,
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

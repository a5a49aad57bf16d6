import MechTensor

/// W_U'·W_E' [d_model, d_model] = Σ_v W_U'[:, v] ⊗ W_E'[v], summed over chunks of the vocabulary:
/// each chunk materialises its W_U' columns and W_E' rows ([chunk, d_model] each, from the raw
/// matrices) and adds their product, so neither vocabulary-sized matrix is ever formed.
enum UnembedEmbedProduct {
    /// Tokens per chunk: two [1024, d_model] blocks (6 MB for GPT-2 small), large enough for a full-speed gemm.
    static let chunk = 1024

    static func compute(_ unembedding: ProcessedUnembedding, _ embedding: CentredRows) -> Tensor {
        let d = unembedding.dModel, vocab = unembedding.vocabularySize
        precondition(embedding.rowCount == vocab && embedding.columnCount == d, "W_E' must be [vocab, d_model]")
        let out = Tensor(zeros: [d, d])
        for start in stride(from: 0, to: vocab, by: chunk) {
            let tokens = start..<min(start + chunk, vocab)
            let u = unembedding.columns(tokens)        // [n, d_model]: row k = W_U'[:, start + k]
            let e = embedding.rows(tokens)             // [n, d_model]: W_E' rows
            // out += uᵀ·e   [d_model, n]·[n, d_model]
            BLAS.gemm(transposeA: true, m: d, n: d, k: tokens.count, a: u.pointer, lda: d, b: e.pointer, ldb: d,
                      beta: 1, c: out.pointer, ldc: d)
        }
        return out
    }
}

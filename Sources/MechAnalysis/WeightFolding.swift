import MechModels
import MechTensor

/// The two in-place operations TransformerLens's weight processing is made of, on small owned
/// copies (one head's or one layer's block at a time).
enum WeightFolding {
    /// fold_ln with fold_biases and center_weights: b += ln_b·W, W = diag(ln_w)·W, then W is centred
    /// over its input (d_model) axis. `W` is [blocks, rows = d_model, cols], `bias` [blocks, cols] or nil.
    /// `centre` false for RMSNorm, whose folding TransformerLens does without centring over d_model.
    static func foldLayerNorm(into W: Tensor, bias: Tensor?, ln: LayerNormWeights, blocks: Int, rows: Int, cols: Int,
                              centre: Bool = true) {
        for blk in 0..<blocks {
            let base = W.pointer + blk * rows * cols
            if let bias {
                BLAS.gemv(transposeA: true, rows: rows, cols: cols, a: base, lda: cols, x: ln.bias.pointer,
                          beta: 1, y: bias.pointer + blk * cols)
            }
            var mean = [Float](repeating: 0, count: cols)
            for i in 0..<rows {
                let s = ln.weight.pointer[i]
                for j in 0..<cols { base[i * cols + j] *= s; mean[j] += base[i * cols + j] }
            }
            guard centre else { continue }
            for j in 0..<cols { mean[j] /= Float(rows) }
            for i in 0..<rows { for j in 0..<cols { base[i * cols + j] -= mean[j] } }
        }
    }

    /// Subtracts each row's mean from it (centring a [n, d] matrix over its last axis).
    static func centerRows(_ x: Tensor) {
        let d = x.shape.last!
        centerRows(x.pointer, rows: x.count / max(d, 1), columns: d, stride: d)
    }

    /// Subtracts from every entry the mean of the finite ones (nothing when none is finite).
    static func centerFiniteEntries(_ x: Tensor) {
        let p = x.pointer
        var sum = 0.0, finite = 0
        for i in 0..<x.count where p[i].isFinite { sum += Double(p[i]); finite += 1 }
        guard finite > 0 else { return }
        let mean = Float(sum / Double(finite))
        for i in 0..<x.count { p[i] -= mean }
    }

    /// The same on raw rows with a row stride.
    static func centerRows(_ p: UnsafeMutablePointer<Float>, rows: Int, columns d: Int, stride: Int) {
        for r in 0..<rows {
            let row = p + r * stride
            let mean = Reduce.sum(row, count: d) / Float(d)
            for i in 0..<d { row[i] -= mean }
        }
    }
}

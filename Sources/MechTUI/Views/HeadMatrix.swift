import MechModels
import MechTensor

/// One head's attention on the current run, as the heatmaps read it: the pattern [query, key], or
/// the pre-softmax scores scaled per query row to 0…1 (the row's smallest unmasked score → 0, its
/// largest → 1). Keys after the query are masked: their shade is nil (drawn blank).
/// Reads the cached tensors in place; nothing here is vocabulary-sized.
struct HeadMatrix {
    /// Tokens (queries = keys).
    let count: Int
    let showScores: Bool
    /// Whether the values are a difference of two patterns (−1…1, shaded on the diverging scale).
    var isSigned: Bool { basePattern != nil }
    private let pattern: UnsafeMutablePointer<Float>
    /// The pattern subtracted from `pattern` (the compare view's clean run), if any.
    private var basePattern: UnsafeMutablePointer<Float>?
    private let scores: UnsafeMutablePointer<Float>?
    /// Per query row: the smallest and largest unmasked score (scores mode only).
    private let rowRanges: [(low: Float, high: Float)]
    // Keeps the tensors (and so the pointers) alive.
    private var tensors: [Tensor]

    /// The head's matrix from the run's cache; nil when the cache lacks the layer's pattern (or,
    /// for scores, its attention scores).
    init?(run: RunSnapshot, layer: Int, head: Int, showScores: Bool) {
        guard let p = run.result.cache[.pattern(layer)], p.rank == 3, head < p.shape[0], p.shape[1] == p.shape[2]
        else { return nil }
        let n = p.shape[1]
        count = n
        self.showScores = showScores
        pattern = p.pointer + head * n * n
        var kept = [p]
        if showScores {
            guard let s = run.result.cache[.attnScores(layer)], s.shape == p.shape else { return nil }
            let base = s.pointer + head * n * n
            scores = base
            kept.append(s)
            rowRanges = (0..<n).map { q in
                var low = Float.infinity, high = -Float.infinity
                for k in 0...q where base[q * n + k].isFinite {
                    low = min(low, base[q * n + k])
                    high = max(high, base[q * n + k])
                }
                return (low, high)
            }
        } else {
            scores = nil
            rowRanges = []
        }
        tensors = kept
    }

    /// `run`'s pattern minus `baseline`'s, for the compare view's corrupted − clean (nil when a
    /// cache lacks the pattern or the runs differ in length).
    init?(run: RunSnapshot, subtracting baseline: RunSnapshot, layer: Int, head: Int) {
        guard var matrix = HeadMatrix(run: run, layer: layer, head: head, showScores: false),
              let b = baseline.result.cache[.pattern(layer)], b.rank == 3, head < b.shape[0],
              b.shape[1] == matrix.count, b.shape[2] == matrix.count else { return nil }
        matrix.basePattern = b.pointer + head * matrix.count * matrix.count
        matrix.tensors.append(b)
        self = matrix
    }

    /// The attention weight of query `q` on key `k` (0 for masked keys); in a difference, the
    /// difference of the weights.
    func weight(_ q: Int, _ k: Int) -> Float { pattern[q * count + k] - (basePattern?[q * count + k] ?? 0) }

    /// The pre-softmax score (−∞ for masked keys); nil when the scores were not read.
    func score(_ q: Int, _ k: Int) -> Float? { scores.map { $0[q * count + k] } }

    func isMasked(_ q: Int, _ k: Int) -> Bool {
        k > q || (scores.map { !$0[q * count + k].isFinite } ?? false)
    }

    /// The value shaded at (q, k) on a 0…1 scale, nil where masked.
    func shade(_ q: Int, _ k: Int) -> Double? {
        guard !isMasked(q, k) else { return nil }
        guard let scores else { return Double(weight(q, k)) }      // a difference: −1…1
        let range = rowRanges[q]
        guard range.high > range.low else { return 1 }
        return Double((scores[q * count + k] - range.low) / (range.high - range.low))
    }

    /// Query `q`'s smallest and largest unmasked score (scores mode).
    func scoreRange(_ q: Int) -> (low: Float, high: Float)? { showScores ? rowRanges[q] : nil }

    /// The keys query `q` attends to most, heaviest first (ties to the earlier key).
    func topKeys(_ q: Int, count k: Int) -> [Int] {
        let size: (Int) -> Float = isSigned ? { abs(weight(q, $0)) } : { weight(q, $0) }
        return TopK.indices(of: (0...q).map(size), k: k)
    }

    /// The most-attended key of query `q`.
    func argmaxKey(_ q: Int) -> Int { topKeys(q, count: 1).first ?? q }

    /// The matrix max-pooled to `rows` × `columns` cells (each cell the largest shade of the queries
    /// and keys it covers; a cell covering fewer tokens than one repeats it). Cells whose keys are
    /// all masked are nil.
    func pooled(rows: Int, columns: Int, queries: Range<Int>? = nil) -> [[Double?]] {
        let qs = queries ?? 0..<count
        return (0..<rows).map { r in
            let (q0, q1) = Self.span(r, of: rows, over: qs.count)
            return (0..<columns).map { c in
                let (k0, k1) = Self.span(c, of: columns, over: count)
                var best: Double?
                for q in (qs.lowerBound + q0)..<(qs.lowerBound + q1) where k0 <= q {
                    for k in k0..<min(k1, q + 1) {
                        if let v = shade(q, k) { best = isSigned ? (abs(v) > abs(best ?? 0) ? v : best ?? v) : max(best ?? v, v) }
                    }
                }
                return best
            }
        }
    }

    /// The tokens cell `i` of `cells` covers out of `total`: never empty, so that a matrix drawn
    /// larger than it is repeats tokens and a smaller one pools them.
    static func span(_ i: Int, of cells: Int, over total: Int) -> (Int, Int) {
        guard cells > 0, total > 0 else { return (0, 0) }
        let lo = min(total - 1, i * total / cells)
        return (lo, max(lo + 1, (i + 1) * total / cells))
    }
}

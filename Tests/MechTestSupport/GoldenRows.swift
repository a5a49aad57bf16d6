/// The rows a long-prompt golden keeps (`Meta.positions`): the query axis (1) of a
/// [head, query, key] hook, the first axis of every other hook; the other axes stay whole.
public enum GoldenRows {
    public static func queryAxis(ofHook name: String) -> Int {
        name.hasSuffix("hook_attn_scores") || name.hasSuffix("hook_pattern") ? 1 : 0
    }

    /// `values` of row-major `shape` restricted to `positions` along `axis`; the result has
    /// shape[axis] replaced by positions.count.
    public static func select(_ values: [Float], shape: [Int], axis: Int, positions: [Int]) -> [Float] {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *), n = shape[axis]
        var out: [Float] = []
        out.reserveCapacity(outer * positions.count * inner)
        for o in 0..<outer {
            for p in positions {
                let start = (o * n + p) * inner
                out.append(contentsOf: values[start..<(start + inner)])
            }
        }
        return out
    }
}

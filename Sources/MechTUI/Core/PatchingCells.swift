import MechAnalysis

/// One activation-patching grid as the patching page draws it while it fills: the patched logit
/// difference of every cell done so far (NaN for the rest), layer-major, and the unpatched clean
/// and corrupted differences that normalise them exactly as `PatchingGrid` (and so
/// `mechscope patch --json`) does.
public struct PatchingCells: Equatable, Sendable {
    public let target: PatchingTarget
    public let layers: Int
    /// Positions, or heads for the head grid.
    public let columns: Int
    public let cleanLogitDiff: Float
    public let corruptedLogitDiff: Float
    /// [layer][column] row-major; NaN where not computed yet.
    public private(set) var patchedLogitDiffs: [Float]
    public private(set) var filled = 0

    /// An empty grid, about to fill.
    public init(target: PatchingTarget, layers: Int, columns: Int, cleanLogitDiff: Float, corruptedLogitDiff: Float) {
        self.target = target
        self.layers = layers
        self.columns = columns
        self.cleanLogitDiff = cleanLogitDiff
        self.corruptedLogitDiff = corruptedLogitDiff
        patchedLogitDiffs = [Float](repeating: .nan, count: layers * columns)
    }

    /// A finished sweep's grid.
    public init(_ grid: PatchingGrid) {
        target = grid.target
        layers = grid.layers
        columns = grid.columns
        cleanLogitDiff = grid.cleanLogitDiff
        corruptedLogitDiff = grid.corruptedLogitDiff
        patchedLogitDiffs = grid.patchedLogitDiffs
        filled = grid.patchedLogitDiffs.count
    }

    public var count: Int { layers * columns }
    public var isComplete: Bool { filled == count }

    public mutating func set(layer: Int, column: Int, patchedLogitDiff: Float) {
        let i = layer * columns + column
        if patchedLogitDiffs[i].isNaN { filled += 1 }
        patchedLogitDiffs[i] = patchedLogitDiff
    }

    public func patchedLogitDiff(layer: Int, column: Int) -> Float { patchedLogitDiffs[layer * columns + column] }

    /// (patched − corrupted) / (clean − corrupted), NaN where the cell is not computed yet.
    public func normalized(layer: Int, column: Int) -> Float {
        LogitDiffMetric.normalized(patchedLogitDiff(layer: layer, column: column), clean: cleanLogitDiff,
                                   corrupted: corruptedLogitDiff)
    }

    /// The largest |normalised value| computed so far (0 when none).
    public var largestMagnitude: Float {
        var m: Float = 0
        for l in 0..<layers {
            for c in 0..<columns {
                let v = normalized(layer: l, column: c)
                if v.isFinite { m = max(m, abs(v)) }
            }
        }
        return m
    }
}

/// One patching sweep's results: a [layer, position] (or [layer, head]) grid of patched logit
/// differences, with the unpatched clean and corrupted differences that normalise them.
public struct PatchingGrid: Sendable, Equatable {
    public let target: PatchingTarget
    public let direction: PatchingDirection
    public let layers: Int
    /// Positions, or heads for `.heads`.
    public let columns: Int
    /// logit[answer] − logit[wrong] at the last position of each patched run, row-major [layer][column].
    public let patchedLogitDiffs: [Float]
    public let cleanLogitDiff: Float
    public let corruptedLogitDiff: Float
    /// How many cells needed a forward pass (the others were known no-ops, see `PrefixCachePlan`).
    public let forwardPasses: Int

    public init(target: PatchingTarget, direction: PatchingDirection, layers: Int, columns: Int,
                patchedLogitDiffs: [Float], cleanLogitDiff: Float, corruptedLogitDiff: Float, forwardPasses: Int) {
        self.target = target
        self.direction = direction
        self.layers = layers
        self.columns = columns
        self.patchedLogitDiffs = patchedLogitDiffs
        self.cleanLogitDiff = cleanLogitDiff
        self.corruptedLogitDiff = corruptedLogitDiff
        self.forwardPasses = forwardPasses
    }

    public func patchedLogitDiff(layer: Int, column: Int) -> Float { patchedLogitDiffs[layer * columns + column] }

    /// (patched − corrupted) / (clean − corrupted), the value TransformerLens's demos plot.
    public func normalized(layer: Int, column: Int) -> Float {
        LogitDiffMetric.normalized(patchedLogitDiff(layer: layer, column: column),
                                   clean: cleanLogitDiff, corrupted: corruptedLogitDiff)
    }

    /// The normalised grid as rows per layer.
    public var normalizedRows: [[Float]] {
        (0..<layers).map { l in (0..<columns).map { normalized(layer: l, column: $0) } }
    }

    /// The patched differences as rows per layer.
    public var patchedRows: [[Float]] {
        (0..<layers).map { l in Array(patchedLogitDiffs[(l * columns)..<((l + 1) * columns)]) }
    }
}

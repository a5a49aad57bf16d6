import MechModels
import MechTensor

/// Activation patching between a clean and a corrupted prompt, cell by cell, with TransformerLens's
/// `transformer_lens.patching` semantics (one patched forward pass per layer × position or
/// layer × head, metric at the last position).
///
/// Which run is patched: with `.denoising` (the default, TransformerLens's `get_act_patch_*`) the
/// CORRUPTED tokens run and each cell copies one CLEAN activation in; with `.noising` the CLEAN
/// tokens run and each cell copies one CORRUPTED activation in. Activations are the raw forward
/// pass's; the logit difference is the same as in TransformerLens's processed (compatibility-mode)
/// model, because processing only adds per-position constants that LayerNorm and the difference
/// cancel. Cells known to change nothing (`PrefixCachePlan`) are filled without a run; the others
/// resume from the unpatched run's cache at the patched block and position
/// (`Transformer.resume`: a full patched run's value up to float32 rounding).
public struct PatchingSweep: @unchecked Sendable {
    public let transformer: Transformer
    public let clean: [Int]
    public let corrupted: [Int]
    public let metric: LogitDiffMetric
    public let direction: PatchingDirection
    public let plan: PrefixCachePlan
    public let cleanLogitDiff: Float
    public let corruptedLogitDiff: Float
    private let cleanRun: ForwardResult
    private let corruptedRun: ForwardResult

    /// Runs the clean and corrupted prompts once, keeping what the patched runs reuse. Throws when
    /// the prompts differ in length, a token is out of range, or both runs give the same difference
    /// (the normalised metric would divide by zero).
    public init(transformer: Transformer, clean: [Int], corrupted: [Int], metric: LogitDiffMetric,
                direction: PatchingDirection = .denoising, shouldContinue: () -> Bool = { true }) throws {
        guard clean.count == corrupted.count else {
            throw PatchingError.lengthMismatch(clean: clean.count, corrupted: corrupted.count)
        }
        let c = transformer.config
        if let bad = metric.outOfRange(vocabSize: c.vocabSize) {
            throw PatchingError.tokenOutOfRange(role: bad.role, token: bad.token, vocabSize: c.vocabSize)
        }
        var kept: Set<HookPoint> = []
        for l in 0..<c.nLayers {
            let keysValues = transformer.keyValueHooks(layer: l)
            kept.formUnion([.residPre(l), keysValues.keys, keysValues.values, .z(l), .attnOut(l)])
            if !c.attnOnly { kept.insert(.mlpOut(l)) }
        }
        let cleanRun = try transformer.run(clean, caching: .only(kept), shouldContinue: shouldContinue)
        let corruptedRun = try transformer.run(corrupted, caching: .only(kept), shouldContinue: shouldContinue)
        let cleanDiff = metric.value(cleanRun.logits), corruptedDiff = metric.value(corruptedRun.logits)
        guard cleanDiff != corruptedDiff else { throw PatchingError.indistinguishableRuns(logitDiff: cleanDiff) }

        self.transformer = transformer
        self.clean = clean
        self.corrupted = corrupted
        self.metric = metric
        self.direction = direction
        self.plan = PrefixCachePlan(clean: clean, corrupted: corrupted, layers: transformer.config.nLayers)
        self.cleanRun = cleanRun
        self.corruptedRun = corruptedRun
        self.cleanLogitDiff = cleanDiff
        self.corruptedLogitDiff = corruptedDiff
    }

    /// The number of cells (patched runs or known no-ops) a sweep over `targets` fills.
    public func cellCount(_ targets: [PatchingTarget]) -> Int {
        targets.reduce(0) { $0 + transformer.config.nLayers * columns($1) }
    }

    /// Fills one grid per target. `shouldContinue` is polled before every cell and between blocks;
    /// false cancels with `ModelError.cancelled`. `progress(done, total)` follows every cell.
    public func run(_ targets: [PatchingTarget], shouldContinue: () -> Bool = { true },
                    progress: (Int, Int) -> Void = { _, _ in }) throws -> [PatchingGrid] {
        if targets.contains(.mlpOut) && transformer.config.attnOnly { throw PatchingError.noMLP }
        let total = cellCount(targets)
        var done = 0
        return try targets.map { target in
            try grid(target, shouldContinue: shouldContinue) { _, _, _ in
                done += 1
                progress(done, total)
            }
        }
    }

    /// The number of cells in one target's grid (layers × positions, or layers × heads).
    public func cellCount(_ target: PatchingTarget) -> Int { transformer.config.nLayers * columns(target) }

    private func columns(_ target: PatchingTarget) -> Int {
        target.isPerPosition ? clean.count : transformer.config.nHeads
    }

    /// Fills one target's grid, layer-major, cell by cell: `cellDone(layer, column, patchedLogitDiff)`
    /// follows every cell (a viewer can draw the grid as it fills). Cancels like `run`.
    public func grid(_ target: PatchingTarget, shouldContinue: () -> Bool = { true },
                     cellDone: (_ layer: Int, _ column: Int, _ patchedLogitDiff: Float) -> Void) throws -> PatchingGrid {
        if target == .mlpOut && transformer.config.attnOnly { throw PatchingError.noMLP }
        let (patched, source) = direction == .denoising ? (corruptedRun, cleanRun) : (cleanRun, corruptedRun)
        let unpatchedDiff = metric.value(patched.logits)
        let layers = transformer.config.nLayers, width = columns(target)
        var diffs: [Float] = []
        diffs.reserveCapacity(layers * width)
        var runs = 0
        for layer in 0..<layers {
            for column in 0..<width {
                guard shouldContinue() else { throw ModelError.cancelled }
                if plan.isNoOp(target, layer: layer, column: column) {
                    diffs.append(unpatchedDiff)
                } else {
                    let position = plan.resumePosition(target, column: column)
                    let edit = try patch(target, layer: layer, column: column, from: source, rowsFrom: position)
                    let result = try transformer.resume(from: patched, layer: layer, position: position, interventions: [edit],
                                                        computeLogits: false, shouldContinue: shouldContinue)
                    diffs.append(metric.value(finalResidual: result.finalResidual, weights: transformer.weights))
                    runs += 1
                }
                cellDone(layer, column, diffs[diffs.count - 1])
            }
        }
        return PatchingGrid(target: target, direction: direction, layers: layers, columns: width,
                            patchedLogitDiffs: diffs, cleanLogitDiff: cleanLogitDiff,
                            corruptedLogitDiff: corruptedLogitDiff, forwardPasses: runs)
    }

    /// The edit copying the source run's activation for one cell into a pass resumed at `start`,
    /// whose hooked tensors hold positions start… only.
    private func patch(_ target: PatchingTarget, layer: Int, column: Int, from source: ForwardResult,
                       rowsFrom start: Int) throws -> Intervention {
        let hook = target.hook(layer: layer)
        guard let full = source.cache[hook] else { throw PrefixReuseError.missingActivation(hook: hook.name) }
        let rows = full.rows(start..<full.shape[0])
        switch target {
        case .residPre, .attnOut, .mlpOut:
            return .patch(hook, from: rows, positions: [column - start])
        case .heads:
            return .patchHead(layer: layer, head: column, from: rows)
        }
    }
}

import Foundation
import MechAnalysis
import MechModels

/// A modular-addition model's story: the embedding's power per Fourier frequency as bars, the key
/// frequencies, one MLP neuron's activation over every input (a, b) as a heatmap (pooled to fit,
/// half blocks), and the accuracy over every input. The sweep over all inputs runs on the worker
/// and fills in row by row.
public enum FourierView: PageView {
    /// The story the page shows (nil when the model has none).
    static func story(_ state: ExplorerState) -> FourierStory? {
        if case .fourier(let s) = state.story { return s }
        return nil
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] {
        guard let s = story(state) else { return [] }
        return [.fourierSpectrum(modulus: s.modulus), .modularSweep(s)]
    }

    public static func spectrum(_ state: ExplorerState) -> EmbeddingFourierSpectrum? {
        guard let s = story(state), case .fourierSpectrum(let v)? = state.results[.fourierSpectrum(modulus: s.modulus)] else { return nil }
        return v
    }

    public static func sweep(_ state: ExplorerState) -> ModularSweep? {
        guard let s = story(state), case .modularSweep(let v)? = state.results[.modularSweep(s)] else { return nil }
        return v
    }

    /// The strongest frequencies, in rank order, until they hold 90% of the varying power.
    public static func keyFrequencies(_ spectrum: EmbeddingFourierSpectrum) -> [Int] {
        var out: [Int] = [], share = 0.0
        for k in spectrum.rankedFrequencies where share < 0.9 && out.count < 8 {
            out.append(k)
            share += spectrum.power[k - 1]
        }
        return out
    }

    /// The neuron shown: the one chosen with [ and ], else the one firing most at the prompt's
    /// last token.
    public static func neuron(_ state: ExplorerState) -> Int? {
        if let n = state.fourierPage.neuron { return n }
        let m = state.model
        guard m.hasMLP, let run = state.run, let post = run.result.cache[.mlpPost(m.layers - 1)], post.rank == 2 else { return nil }
        let row = post.pointer + (post.shape[0] - 1) * post.shape[1]
        return (0..<post.shape[1]).max { row[$0] < row[$1] }
    }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        let m = state.model
        guard m.hasMLP, let n = neuron(state) else { return nil }
        switch action {
        case .nextHead: state.fourierPage.neuron = (n + count) % m.dMLP
        case .previousHead: state.fourierPage.neuron = ((n - count) % m.dMLP + m.dMLP) % m.dMLP
        case .open: return .go(.neuron(layer: m.layers - 1, neuron: n))
        default: return nil
        }
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        let p = canvas.palette
        guard let story = story(state) else {
            canvas.put("This model has no Fourier story (config.json's \(ModelStory.key)).", x: 0, y: 0, style: p.warning)
            return
        }
        let bold = state.presenting
        canvas.put("Fourier — what \(state.model.name) learned: (a + b) mod \(story.modulus) from a few frequencies",
                   x: 0, y: 0, style: p.heading)
        var y = 2
        y = drawSpectrum(state, story, y: y, into: &canvas)
        y += 1
        drawNeuronMap(state, story, y: y, bold: bold, into: &canvas)
    }

    /// Bars of the embedding's power per frequency 1…p/2, the axis, and the key frequencies.
    private static func drawSpectrum(_ state: ExplorerState, _ story: FourierStory, y top: Int, into canvas: inout Canvas) -> Int {
        let p = canvas.palette
        var y = top
        canvas.put("Embedding W_E over tokens 0…\(story.modulus - 1): share of its power per frequency k", x: 0, y: y, style: p.text)
        y += 1
        guard let spectrum = spectrum(state) else {
            canvas.put("\(Spinner.frame(state.spinnerFrame)) computing the spectrum…", x: 0, y: y, style: p.dim)
            return y + 1
        }
        let count = spectrum.power.count
        let columnWidth = max(1, min(state.presenting ? 3 : 2, (canvas.width - 4) / max(1, count)))
        let barRows = state.presenting ? 8 : 5
        let peak = spectrum.power.max() ?? 0
        let keys = Set(keyFrequencies(spectrum))
        for (i, share) in spectrum.power.enumerated() {
            let eighths = peak > 0 ? BarCells.count(share / peak, of: barRows * 8) : 0
            let style = keys.contains(i + 1) ? p.accent : p.dim
            for row in 0..<barRows {
                let filled = eighths - (barRows - 1 - row) * 8
                guard filled > 0 else { continue }
                let glyph = filled >= 8 ? "█" : Palette.sparks[max(0, filled - 1)]
                for dx in 0..<max(1, columnWidth - (columnWidth > 1 ? 1 : 0)) {
                    canvas.put(glyph, x: i * columnWidth + dx, y: y + row, style: style)
                }
            }
        }
        y += barRows
        var free = 0                                           // the axis: k at every 5th bar where it fits
        for i in 0..<count where (i + 1) % 5 == 0 || i == 0 {
            let label = String(i + 1), x = i * columnWidth
            guard x >= free else { continue }
            canvas.put(label, x: x, y: y, style: p.dim)
            free = x + label.count + 1
        }
        y += 1
        let key = keyFrequencies(spectrum)
        let share = key.reduce(0) { $0 + spectrum.power[$1 - 1] }
        let list = key.map { "\($0) (" + String(format: "%.1f%%", 100 * spectrum.power[$0 - 1]) + ")" }.joined(separator: "  ")
        var x = canvas.put("key frequencies: ", x: 0, y: y, style: p.text.with(bold: true))
        x += canvas.put(list, x: x, y: y, style: p.accent.with(bold: true))
        canvas.put(String(format: "  — %.1f%% of the power", 100 * share), x: x, y: y, style: p.dim)
        return y + 1
    }

    /// One neuron over every (a, b): rows a, columns b, pooled to fit; then the accuracy.
    private static func drawNeuronMap(_ state: ExplorerState, _ story: FourierStory, y top: Int, bold: Bool,
                                      into canvas: inout Canvas) {
        let p = canvas.palette, m = state.model, q = story.modulus
        var y = top
        guard m.hasMLP, let neuron = neuron(state) else {
            canvas.put("No MLP neurons to show.", x: 0, y: y, style: p.dim)
            return
        }
        let sweep = sweep(state)
        let label = "Neuron L\(m.layers - 1)N\(neuron) at the last token, over all \(q) × \(q) inputs (a ↓, b →)"
        var x = canvas.put(label + "   ", x: 0, y: y, style: p.text.with(bold: bold))
        x += canvas.put("0 ", x: x, y: y, style: p.dim)
        for i in 0..<8 { canvas.set(x + i, y, p.heat(Double(i) / 7)) }
        canvas.put(" max   [ ] other neurons · Enter opens it", x: x + 8, y: y, style: p.dim)
        y += 1
        let labelWidth = String(q - 1).count + 3
        let lines = max(1, canvas.height - y - 2)
        let pixelRows = min(q, 2 * lines)
        let columns = max(1, min(q, canvas.width - labelWidth))
        AttentionHeatmap.ruler(tokens: q, columns: columns, x: labelWidth, y: y, into: &canvas)
        y += 1
        if let sweep {
            var high: Float = 0
            for a in 0..<sweep.rowsDone { for b in 0..<q { high = max(high, sweep.activation(a: a, b: b, neuron: neuron)) } }
            let values = pooled(sweep, neuron: neuron, rows: pixelRows, columns: columns, scale: high)
            HalfBlocks.draw(values, x: labelWidth, y: y, into: &canvas)
        }
        canvas.put(DisplayWidth.rightAligned("a=0", labelWidth - 1), x: 0, y: y, style: p.dim)
        canvas.put(DisplayWidth.rightAligned("\(q - 1)", labelWidth - 1), x: 0, y: y + (pixelRows + 1) / 2 - 1, style: p.dim)
        y += (pixelRows + 1) / 2
        let total = q * q
        if let sweep, sweep.isComplete {
            canvas.put(String(format: "accuracy over all %d inputs: %.2f%% (%d correct)", total, 100 * sweep.accuracy, sweep.correct),
                       x: 0, y: y, style: p.accent.with(bold: true))
        } else {
            let done = sweep?.rowsDone ?? 0
            canvas.put("\(Spinner.frame(state.spinnerFrame)) running every input: \(done) of \(q) rows of a"
                       + (sweep.map { String(format: " · accuracy so far %.2f%% of %d", 100 * $0.accuracy, $0.inputsDone) } ?? "")
                       + " (a new prompt cancels)", x: 0, y: y, style: p.dim)
        }
    }

    /// The neuron's activations averaged into `rows` × `columns` cells, scaled to 0…1 by `scale`;
    /// nil where the sweep has not reached.
    static func pooled(_ sweep: ModularSweep, neuron: Int, rows: Int, columns: Int, scale: Float) -> [[Double?]] {
        let q = sweep.modulus
        return (0..<rows).map { r in
            let (a0, a1) = HeadMatrix.span(r, of: rows, over: q)
            return (0..<columns).map { c in
                guard a0 < sweep.rowsDone else { return nil }
                let (b0, b1) = HeadMatrix.span(c, of: columns, over: q)
                var sum: Float = 0, n = 0
                for a in a0..<min(a1, sweep.rowsDone) { for b in b0..<b1 { sum += sweep.activation(a: a, b: b, neuron: neuron); n += 1 } }
                guard n > 0 else { return nil }
                return scale > 0 ? Double(sum / Float(n) / scale) : 0
            }
        }
    }
}

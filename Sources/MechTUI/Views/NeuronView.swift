import Foundation
import MechTensor

/// One MLP neuron, Neuroscope style: the prompt's text with each token shaded by the neuron's
/// activation there, the tokens it fires on most with their values, and the tokens its output
/// weights most promote and suppress. [ and ] step through the layer's neurons.
public enum NeuronView: PageView {
    static func location(_ state: ExplorerState) -> (layer: Int, neuron: Int) {
        if case .neuron(let l, let n) = state.page { return (l, n) }
        return (0, 0)
    }

    /// The neuron's activation at every position, when cached.
    static func activations(_ state: ExplorerState) -> [Float]? {
        let (l, n) = location(state)
        guard let acts = state.run?.result.cache[.mlpPost(l)], acts.rank == 2, n < acts.shape[1] else { return nil }
        let dMLP = acts.shape[1]
        return (0..<acts.shape[0]).map { acts.pointer[$0 * dMLP + n] }
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] {
        let (l, n) = location(state)
        return state.model.hasLMHead ? [.neuronEffect(layer: l, neuron: n)] : []
    }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        let (l, n) = location(state)
        switch action {
        case .nextHead, .previousHead:
            let next = n + (action == .nextHead ? count : -count)
            guard next >= 0, next < state.model.dMLP else {
                return .message(StatusMessage("no neuron \(next) in layer \(l): neurons 0–\(state.model.dMLP - 1)"))
            }
            return .go(.neuron(layer: l, neuron: next))
        case .open:
            return .go(.neurons(layer: l))
        default:
            guard let run = state.run,
                  let row = ListMotion.row(after: action, count: count, from: state.neuronPage.scroll, rows: run.count,
                                           visible: 5) else { return nil }
            state.neuronPage.scroll = row
            return .redraw
        }
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette, (l, n) = location(state)
        guard let values = activations(state) else {
            canvas.put("Layer \(l) has no cached MLP activations (mlp.hook_post)", x: 0, y: 0, style: p.warning)
            return
        }
        let peak = values.indices.max { values[$0] < values[$1] } ?? 0
        let scale = max(values.map(abs).max() ?? 0, .leastNormalMagnitude)
        canvas.put("Neuron L\(l)N\(n) · max \(NumberText.value(values[peak])) at '\(run.tokenTexts[peak])' (pos \(peak))",
                   x: 0, y: 0, style: p.heading)
        // Negative activations (GELU's dip) put the text on the diverging scale, with its legend
        // after the hints (shortened where both do not fit).
        let signed = values.contains { $0 < 0 }
        let (low, high) = ("  " + NumberText.value(-scale), "+" + NumberText.value(scale))
        let legend = signed ? HeatLegend.width(signed: true, low: low, high: high, steps: 4, palette: p) : 0
        let long = "[ ] neuron · j/k tokens · Enter: the layer's list"
        let hints = canvas.put(DisplayWidth.of(long) + legend <= canvas.width ? long : "[ ] neuron · j/k tokens", x: 0, y: 1,
                               style: p.dim)
        if signed { HeatLegend.draw(signed: true, low: low, high: high, steps: 4, x: hints, y: 1, into: &canvas) }

        // The prompt as text, each token on its activation's heat (a shade after it in monochrome).
        let pieces = run.tokenTexts.enumerated().map { i, text -> TokenStrip.Piece in
            let heat = p.heat(Double(values[i] / scale), signed: signed)
            return p.hasColor ? TokenStrip.Piece(text: text, style: heat.style, mark: nil)
                              : TokenStrip.Piece(text: text, style: .plain, mark: heat.text == " " ? Cell("·", style: p.dim) : heat)
        }
        let tallText = canvas.height >= 40
        // Tokenizers that carry spaces inside tokens read as text when tokens touch; others get a gap.
        let gap = run.tokenTexts.contains { $0.hasPrefix(" ") } ? 0 : 1
        var y = 3 + TokenStrip(pieces, width: canvas.width, gap: gap)
            .draw(y: 2, maxLines: tallText ? 12 : 4, focus: peak, into: &canvas)

        // Output weights: the tokens the neuron promotes and suppresses, side by side when wide.
        let effectRows = tallText ? 10 : 5
        let listRows = max(1, canvas.height - y - effectRows - 3)
        y = tokenList(state, values: values, scale: scale, y: y, rows: listRows, into: &canvas) + 1
        effects(state, y: y, rows: min(effectRows, canvas.height - y - 1), into: &canvas)
    }

    /// The per-token values, largest activation first, scrolled by j/k; returns the next free row.
    static func tokenList(_ state: ExplorerState, values: [Float], scale: Float, y: Int, rows: Int,
                          into canvas: inout Canvas) -> Int {
        guard let run = state.run else { return y }
        let p = canvas.palette
        let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        canvas.put("activation by token (largest first)", x: 0, y: y, style: p.dim)
        let cursor = min(state.neuronPage.scroll, order.count - 1)
        let first = ListMotion.firstRow(cursor: cursor, rows: order.count, visible: rows)
        let barWidth = max(0, min(30, canvas.width - 36))
        for i in 0..<rows where first + i < order.count {
            let q = order[first + i], row = y + 1 + i
            let selected = first + i == cursor
            let text = DisplayWidth.rightAligned("\(q)", 5) + "  " + DisplayWidth.fit("'\(run.tokenTexts[q])'", 16)
                + " " + DisplayWidth.rightAligned(NumberText.value(values[q]), 9) + " "
            if selected { canvas.line("", y: row, style: p.selection) }
            let used = canvas.put(text, x: 0, y: row, style: selected ? p.selection : p.text)
            let filled = BarCells.count(Double(max(0, values[q]) / scale), of: barWidth)
            canvas.put(String(repeating: "█", count: filled), x: used, y: row, style: selected ? p.selection : p.positive)
        }
        return y + 1 + min(rows, order.count)
    }

    /// The tokens the output weights most promote and suppress (W_out[n]·W_U, per unit of activation).
    static func effects(_ state: ExplorerState, y: Int, rows: Int, into canvas: inout Canvas) {
        let p = canvas.palette, (l, n) = location(state)
        guard rows > 0 else { return }
        guard state.model.hasLMHead else {
            canvas.put("output weights W_out·W_U: not for a \(state.model.modelType) encoder (no LM head)", x: 0, y: y, style: p.dim)
            return
        }
        let request = AnalysisRequest.neuronEffect(layer: l, neuron: n)
        canvas.put("output weights W_out·W_U, logit per unit of activation", x: 0, y: y, style: p.dim)
        guard case .neuronEffect(let effect)? = state.results[request] else {
            let text = state.results.failure(request).map { "cannot compute: \($0)" }
                ?? "\(Spinner.frame(state.spinnerFrame)) computing the output weights' effect…"
            canvas.put(text, x: 0, y: y + 1, style: p.dim)
            return
        }
        let sideBySide = canvas.width >= 50
        let columnWidth = sideBySide ? min(36, canvas.width / 2) : canvas.width
        let lists = [("promotes", effect.promoted, p.positive), ("suppresses", effect.suppressed, p.negative)]
        for (k, list) in lists.enumerated() {
            let x0 = sideBySide ? k * columnWidth : 0
            let y0 = sideBySide ? y + 1 : y + 1 + k * (rows / 2)
            let count = sideBySide ? rows - 1 : rows / 2 - 1
            canvas.put(list.0, x: x0, y: y0, style: list.2.with(bold: true))
            for (i, entry) in list.1.prefix(max(0, count)).enumerated() {
                let text = DisplayWidth.fit("'\(state.vocabulary.display(entry.tokenID))'", columnWidth - 11)
                    + DisplayWidth.rightAligned(NumberText.signed(entry.effect), 9)
                canvas.put(text, x: x0, y: y0 + 1 + i, style: p.text, limit: columnWidth - 1)
            }
        }
    }
}

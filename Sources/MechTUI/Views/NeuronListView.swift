import Foundation
import MechTensor

/// A layer's MLP neurons ranked by activation at the cursor token, by their largest activation
/// over the prompt, or by direct logit attribution to the answer; each row with a sparkline of the
/// neuron's activation over the prompt. h/l move the token cursor, Enter opens the neuron.
public enum NeuronListView: PageView {
    static func layer(_ state: ExplorerState) -> Int { state.page.layer ?? 0 }

    /// The cached [pos, d_mlp] activations (`mlp.hook_post`) of the page's layer.
    static func activations(_ state: ExplorerState) -> Tensor? { state.run?.result.cache[.mlpPost(layer(state))] }

    /// The token position the ranking reads (default: the last).
    static func position(_ state: ExplorerState) -> Int {
        let n = state.run?.count ?? 1
        return min(n - 1, state.neuronsPage.position ?? n - 1)
    }

    static func attributionRequest(_ state: ExplorerState) -> AnalysisRequest? {
        guard state.neuronsPage.ranking == .attribution, let target = state.logitTarget else { return nil }
        return .neuronAttribution(layer: layer(state), target: target)
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] { attributionRequest(state).map { [$0] } ?? [] }

    /// The layer's DLA per neuron, when ranking by it and ready.
    static func attribution(_ state: ExplorerState) -> [Float]? {
        guard let r = attributionRequest(state), case .neuronAttribution(let v)? = state.results[r] else { return nil }
        return v
    }

    /// Each neuron's largest activation over the prompt.
    static func maxima(_ acts: Tensor) -> [Float] {
        let positions = acts.shape[0], dMLP = acts.shape[1]
        var values = [Float](repeating: -.infinity, count: dMLP)
        for p in 0..<positions { for n in 0..<dMLP { values[n] = max(values[n], acts.pointer[p * dMLP + n]) } }
        return values
    }

    /// Every neuron with the value it is ranked by, highest first (ties by lower index); nil while
    /// the ranking's values are not ready. `maxima` saves recomputing them when the caller has them.
    static func ranked(_ state: ExplorerState, maxima known: [Float]? = nil) -> [(neuron: Int, value: Float)]? {
        guard let acts = activations(state), acts.rank == 2 else { return nil }
        let dMLP = acts.shape[1]
        var values: [Float]
        switch state.neuronsPage.ranking {
        case .activationHere:
            let p = position(state)
            values = Array(UnsafeBufferPointer(start: acts.pointer + p * dMLP, count: dMLP))
        case .maxOverPrompt:
            values = known ?? maxima(acts)
        case .attribution:
            guard let dla = attribution(state), dla.count == dMLP else { return nil }
            values = dla
        }
        return values.enumerated().sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
            .map { (neuron: $0.offset, value: $0.element) }
    }

    /// The prompt's tokens, the cursor's highlighted.
    static func strip(_ state: ExplorerState, width: Int, palette p: Palette) -> TokenStrip {
        let pos = position(state)
        let pieces = (state.run?.tokenTexts ?? []).enumerated().map { i, text in
            TokenStrip.Piece(text: TokenText.visible(text), style: i == pos ? p.selection.with(bold: true) : p.token, mark: nil)
        }
        return TokenStrip(pieces, width: width, gap: 1)
    }

    /// Lines of prompt tokens shown: all of a short prompt, a window of a long one.
    static func stripLines(_ strip: TokenStrip, height: Int) -> Int { min(strip.lines.count, height >= 40 ? 6 : 2) }

    /// The list's first row: below the heading, description, tokens, a blank and the header.
    static func listTop(stripLines: Int) -> Int { 2 + stripLines + 2 }

    static func visibleRows(_ state: ExplorerState) -> Int {
        let main = state.layout.main
        let lines = stripLines(strip(state, width: main.width, palette: Palette(depth: .monochrome)), height: main.height)
        return max(1, main.height - listTop(stripLines: lines))
    }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        guard let run = state.run else { return nil }
        let dMLP = activations(state)?.shape.last ?? state.model.dMLP
        var page = state.neuronsPage
        switch action {
        case .moveLeft: page.position = max(0, position(state) - count)
        case .moveRight: page.position = min(run.count - 1, position(state) + count)
        case .cycleNeuronRanking:
            let all = NeuronRanking.allCases
            page.ranking = all[(all.firstIndex(of: page.ranking)! + 1) % all.count]
            page.row = 0
        case .open:
            guard let ranked = ranked(state), !ranked.isEmpty else { return PageOutcome.none }
            return .go(.neuron(layer: layer(state), neuron: ranked[min(page.row, ranked.count - 1)].neuron))
        case .nextHead, .previousHead:
            let next = layer(state) + (action == .nextHead ? count : -count)
            guard next >= 0, next < state.model.layers else {
                return .message(StatusMessage("no layer \(next): layers 0–\(state.model.layers - 1)"))
            }
            return .go(.neurons(layer: next))
        default:
            guard let row = ListMotion.row(after: action, count: count, from: page.row, rows: dMLP,
                                           visible: visibleRows(state)) else { return nil }
            page.row = row
        }
        state.neuronsPage = page
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette, l = layer(state), pos = position(state)
        guard let acts = activations(state), acts.rank == 2 else {
            canvas.put("Layer \(l) has no cached MLP activations (mlp.hook_post)", x: 0, y: 0, style: p.warning)
            return
        }
        let positions = acts.shape[0], dMLP = acts.shape[1]
        let ranking = state.neuronsPage.ranking
        let here = "'\(run.tokenTexts[pos])' (pos \(pos))"
        let by: String
        switch ranking {
        case .activationHere: by = "activation at \(here)"
        case .maxOverPrompt: by = "max activation over the prompt"
        case .attribution: by = "DLA to " + (state.logitTarget.map { target in
            TokenText.quoted(state, target.answer) + (target.wrong.map { " − " + TokenText.quoted(state, $0) } ?? "")
        } ?? "the answer")
        }
        canvas.put("L\(l) MLP · \(dMLP) neurons · by \(by)", x: 0, y: 0, style: p.heading)
        canvas.put("s ranking · h/l token · [ ] layer · Enter opens", x: 0, y: 1, style: p.dim)

        let strip = strip(state, width: canvas.width, palette: p)
        let lines = stripLines(strip, height: canvas.height)
        strip.draw(y: 2, maxLines: lines, focus: pos, into: &canvas)

        let top = listTop(stripLines: lines)
        let showDLA = ranking == .attribution
        let labelWidth = max(6, DisplayWidth.of("L\(state.model.layers - 1)N\(dMLP - 1)"))
        var header = "   # " + DisplayWidth.fit("neuron", labelWidth) + " " + DisplayWidth.rightAligned("act here", 8)
            + " " + DisplayWidth.rightAligned("max", 8)
        if showDLA { header += " " + DisplayWidth.rightAligned("DLA", 8) }
        let sparkX = DisplayWidth.of(header) + 2
        canvas.put(header, x: 0, y: top - 1, style: p.dim)
        canvas.put("activation over the prompt", x: sparkX, y: top - 1, style: p.dim, limit: max(0, canvas.width - sparkX))

        let maxima = maxima(acts)
        guard let ranked = ranked(state, maxima: maxima) else {
            if let r = attributionRequest(state), let failure = state.results.failure(r) {
                canvas.put("cannot compute DLA: \(failure)", x: 0, y: top, style: p.warning)
            } else if state.logitTarget == nil {
                canvas.put("no answer token yet: choose one on the next-token page (t)", x: 0, y: top, style: p.dim)
            } else {
                canvas.put("\(Spinner.frame(state.spinnerFrame)) computing each neuron's DLA…", x: 0, y: top, style: p.dim)
            }
            return
        }
        let scale = maxima.max() ?? 0
        let dla = showDLA ? attribution(state) : nil
        let visible = max(0, canvas.height - top)
        let cursor = min(state.neuronsPage.row, ranked.count - 1)
        let first = ListMotion.firstRow(cursor: cursor, rows: ranked.count, visible: visible)
        for i in 0..<visible where first + i < ranked.count {
            let rank = first + i, n = ranked[rank].neuron, y = top + i
            let selected = rank == cursor
            var columns = [NumberText.value(acts.pointer[pos * dMLP + n]), NumberText.value(maxima[n])]
            if let dla { columns.append(NumberText.signed(dla[n])) }
            let rankedColumn = ranking == .activationHere ? 0 : ranking == .maxOverPrompt ? 1 : 2
            let base = selected ? p.selection : p.text
            if selected { canvas.line("", y: y, style: base) }
            var x = canvas.put(DisplayWidth.rightAligned("\(rank + 1)", 4) + " " + DisplayWidth.fit("L\(l)N\(n)", labelWidth),
                               x: 0, y: y, style: selected ? base.with(bold: true) : p.accent)
            for (c, text) in columns.enumerated() {
                x += canvas.put(" " + DisplayWidth.rightAligned(text, 8), x: x, y: y,
                                style: c == rankedColumn && !selected ? p.text.with(bold: true) : base)
            }
            let values = (0..<positions).map { acts.pointer[$0 * dMLP + n] }
            Sparkline(values, columns: canvas.width - sparkX, scale: scale)
                .draw(x: sparkX, y: y, style: selected ? base : p.positive, highlight: pos,
                      mark: (selected ? base : p.accent).with(underline: true), into: &canvas)
        }
    }
}

/// All heads of one layer (`.layer(l)`) as pattern thumbnails side by side, each labelled with the
/// head and its strongest pattern score; the cursor moves between them and Enter opens one.
public enum LayerHeadsView: PageView {
    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        guard case .layer(let layer) = state.page else { return nil }
        let m = state.model
        let columns = self.layout(state).columns
        var head = state.layerPage.head
        switch action {
        case .moveRight: head += count
        case .moveLeft: head -= count
        case .moveDown: head += count * columns
        case .moveUp: head -= count * columns
        case .top: head = 0
        case .bottom: head = m.heads - 1
        case .open: return .go(.head(layer: layer, head: min(head, m.heads - 1)))
        case .toggleScores:
            state.layerPage.showScores.toggle()
            return .redraw
        case .nextHead, .previousHead:
            let step = action == .nextHead ? count : m.layers - count % m.layers
            let next = Page.layer((layer + step) % m.layers)
            // Replaced, not pushed (as ] on a head page): Esc returns to where browsing started.
            state.page = next
            return .go(next)
        default: return nil
        }
        state.layerPage.head = max(0, min(m.heads - 1, head))
        return .redraw
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] { HeadScoreSummary.requests(state.model) }

    static func layout(_ state: ExplorerState) -> LayerThumbnailLayout {
        let main = state.layout.main
        return LayerThumbnailLayout(width: main.width, height: main.height, heads: state.model.heads,
                                    tokens: state.run?.count ?? 1, cursor: state.layerPage.head)
    }

    /// "L1H3 ind 0.22", or "L1H3 i0.22" in a narrow tile, or just "L1H3" before the scores arrive.
    static func label(_ state: ExplorerState, layer: Int, head: Int, columns: Int) -> String {
        let name = "L\(layer)H\(head)"
        guard let best = HeadScoreSummary(state, layer: layer, head: head).strongest else { return name }
        let metric = HeadScoreSummary.shortName(best.metric), value = HeadScoreSummary.format(best.value)
        let full = "\(name) \(metric) \(value)"
        return DisplayWidth.of(full) <= columns ? full : "\(name) \(metric.prefix(1))\(value)"
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard case .layer(let layer) = state.page, let run = state.run else { return }
        let p = canvas.palette, m = state.model
        let scores = state.layerPage.showScores
        let cursor = min(state.layerPage.head, m.heads - 1)
        let layout = LayerThumbnailLayout(width: canvas.width, height: canvas.height, heads: m.heads, tokens: run.count,
                                          cursor: cursor)
        let wide = canvas.width >= 100
        let what = scores ? (wide ? "pre-softmax scores" : "scores") : (wide ? "attention patterns" : "patterns")
        var x = canvas.put("Layer \(layer) · \(m.heads) heads · \(what)  ", x: 0, y: 0, style: p.heading)
        x += canvas.put(scores ? "row min " : "0 ", x: x, y: 0, style: p.dim)
        for i in 0..<8 { canvas.set(x + i, 0, p.heat(Double(i) / 7)) }
        x += 8
        x += canvas.put(scores ? " max" : " 1", x: x, y: 0, style: p.dim)
        let note = " · query ↓ key →" + (layout.size < run.count ? ", max-pooled" : "")
        if x + DisplayWidth.of(note) <= canvas.width { canvas.put(note, x: x, y: 0, style: p.dim) }
        for h in 0..<m.heads {
            guard let origin = layout.origin(of: h) else { continue }
            canvas.put(DisplayWidth.fit(label(state, layer: layer, head: h, columns: layout.size), layout.size),
                       x: origin.x, y: origin.y, style: h == cursor ? p.selection : p.text)
            guard let matrix = HeadMatrix(run: run, layer: layer, head: h, showScores: scores) else {
                canvas.put(DisplayWidth.fit("no pattern cached", layout.size), x: origin.x, y: origin.y + 1, style: p.warning)
                continue
            }
            let values = matrix.pooled(rows: 2 * layout.lines, columns: layout.size)
            canvas.within(Rect(x: origin.x, y: origin.y + 1, width: layout.size, height: layout.lines)) { c in
                HalfBlocks.draw(values, x: 0, y: 0, into: &c)
            }
        }
        let summary = HeadScoreSummary(state, layer: layer, head: cursor)
        let chips = HeadScoreSummary.metrics(state.model).map(summary.chip).joined(separator: " · ")
        canvas.put("L\(layer)H\(cursor): " + chips, x: 0, y: canvas.height - 2, style: p.accent)
        canvas.put("Enter opens L\(layer)H\(cursor) · s scores · [ ] layers · \(run.count) tokens",
                   x: 0, y: canvas.height - 1, style: p.dim)
    }
}

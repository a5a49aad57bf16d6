/// One attention head (`.head(layer:head:)`): the query × key pattern (or pre-softmax scores) as a
/// heatmap with the prompt's tokens on both axes, a cursor on a (query, key) cell, the keys the
/// cursor's query attends to most, and the head's scores, OV/QK circuits and compositions.
public enum AttentionHeadView: PageView {
    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        guard case .head(let layer, let head) = state.page else { return nil }
        switch action {
        case .nextHead, .previousHead:
            let m = state.model
            let total = m.layers * m.heads
            let index = (layer * m.heads + head + (action == .nextHead ? count : total - count % total)) % total
            let next = Page.head(layer: index / m.heads, head: index % m.heads)
            // The page is replaced, not pushed: `go` pushes only a page that differs from the current
            // one, so Esc after browsing with ] returns to where the browsing started.
            state.page = next
            return .go(next)
        case .toggleScores:
            state.headPage.showScores.toggle()
            return .redraw
        case .toggleZoom:
            state.headPage.zoomedOut.toggle()
            return .redraw
        default: break
        }
        guard let run = state.run, run.count > 0 else { return nil }
        let n = run.count
        var page = state.headPage
        let layout = self.layout(state)
        let rowsPerLine = page.zoomedOut ? 2 : 1
        let pageRows = max(1, layout.gridLines * rowsPerLine)
        switch action {
        case .moveDown: page.query += count * rowsPerLine
        case .moveUp: page.query -= count * rowsPerLine
        case .moveRight: page.key += count * layout.keysPerColumn
        case .moveLeft: page.key -= count * layout.keysPerColumn
        case .top: page.query = 0
        case .bottom: page.query = n - 1
        case .halfPageDown: page.query += max(1, pageRows / 2)
        case .halfPageUp: page.query -= max(1, pageRows / 2)
        case .pageDown: page.query += pageRows
        case .pageUp: page.query -= pageRows
        case .summaryDown, .summaryUp:
            guard let matrix = matrix(state, run: run, layer: layer, head: head) else { return nil }
            let plan = AttentionHeadPanelPlan(state, matrix, layer: layer, head: head, layout: layout)
            state.headPage.summaryScroll = plan.scrolled(from: page.summaryScroll, pages: action == .summaryDown ? count : -count)
            return .redraw
        case .open:
            let token = run.tokens[min(page.key, page.query, n - 1)]
            // Enter on the pinned token's key unpins it: the summaries follow the top key again.
            page.circuitToken = page.circuitToken == token ? nil : token
            state.headPage = page
            return .redraw
        default: return nil
        }
        page.query = max(0, min(n - 1, page.query))
        page.key = max(0, min(page.query, page.key))
        state.headPage = page
        return .redraw
    }

    /// The heads' pattern scores (cheap), and the cursor head's circuits at the circuit token.
    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] {
        guard case .head(let layer, let head) = state.page else { return [] }
        var out = HeadScoreSummary.requests(state.model)
        if state.model.hasLMHead, let token = circuitToken(state) { out.append(.headCircuit(layer: layer, head: head, token: token)) }
        return out
    }

    /// The token the OV/QK summaries read: the pinned one, else the token at the cursor query's
    /// most-attended key — past the BOS token when the prompt starts with one, since heads park
    /// attention there (an attention sink) and its OV reading says little about the head.
    public static func circuitToken(_ state: ExplorerState) -> Int? {
        if let pinned = state.headPage.circuitToken { return pinned }
        guard case .head(let layer, let head) = state.page, let run = state.run,
              let matrix = HeadMatrix(run: run, layer: layer, head: head, showScores: false),
              state.headPage.query < matrix.count else { return nil }
        let q = state.headPage.query
        let key = run.prependBOS && q > 0 ? (matrix.topKeys(q, count: 2).first { $0 != 0 } ?? 0) : matrix.argmaxKey(q)
        return run.tokens[key]
    }

    static func layout(_ state: ExplorerState) -> AttentionHeadLayout {
        let main = state.layout.main
        return AttentionHeadLayout(width: main.width, height: main.height, tokenTexts: state.run?.tokenTexts ?? [],
                                   zoomed: state.headPage.zoomedOut, query: state.headPage.query, key: state.headPage.key,
                                   presenting: state.presenting)
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard case .head(let layer, let head) = state.page, let run = state.run else { return }
        let p = canvas.palette
        guard let matrix = matrix(state, run: run, layer: layer, head: head), state.headPage.query < matrix.count else {
            canvas.put("L\(layer)H\(head): the run's cache has no attention "
                       + (state.headPage.showScores ? "scores" : "pattern") + " for layer \(layer)", x: 0, y: 0, style: p.warning)
            return
        }
        let layout = AttentionHeadLayout(width: canvas.width, height: canvas.height, tokenTexts: run.tokenTexts,
                                         zoomed: state.headPage.zoomedOut, query: state.headPage.query,
                                         key: state.headPage.key, presenting: state.presenting)
        title(state, layer: layer, head: head, layout: layout, signed: matrix.isSigned, into: &canvas)
        AttentionHeatmap.draw(state, matrix, layout, into: &canvas)
        panel(state, matrix, layer: layer, head: head, layout: layout, into: &canvas)
    }

    /// What the heatmap shows: the pattern or scores, or the corrupted − clean difference.
    private static func matrix(_ state: ExplorerState, run: RunSnapshot, layer: Int, head: Int) -> HeadMatrix? {
        let difference = state.showsDifference ? state.corruptedRun.flatMap {
            HeadMatrix(run: $0, subtracting: run, layer: layer, head: head)
        } : nil
        return difference ?? HeadMatrix(run: run, layer: layer, head: head, showScores: state.headPage.showScores)
    }

    /// Row 0: the head, what is shown, and the scale's legend; notes that do not fit are left out.
    private static func title(_ state: ExplorerState, layer: Int, head: Int, layout: AttentionHeadLayout,
                              signed: Bool = false, into canvas: inout Canvas) {
        let p = canvas.palette
        let scores = state.headPage.showScores && !signed, wide = canvas.width >= 100
        var what = scores ? (wide ? "pre-softmax scores" : "scores") : (wide ? "attention pattern" : "pattern")
        if signed { what = "corrupted − clean pattern" } else if state.showsCorrupted { what += " (corrupted)" }
        var x = canvas.put("L\(layer)H\(head) \(what)  ", x: 0, y: 0, style: p.heading)
        x += HeatLegend.draw(signed: signed, low: signed ? "−1" : scores ? "row min" : "0",
                             high: signed ? "+1" : scores ? "max · masked −∞ blank" : "1", steps: signed ? 4 : 8, x: x, y: 0,
                             into: &canvas)
        var notes: [String] = []
        if layout.zoomed { notes.append(" · zoomed: 2 queries a line") }
        let n = layout.tokens
        let lastQuery = min(n, layout.firstQuery + layout.gridLines * (layout.zoomed ? 2 : 1)) - 1
        if layout.firstQuery > 0 || lastQuery < n - 1 { notes.append(" · queries \(layout.firstQuery)–\(lastQuery)") }
        if !layout.zoomed, layout.keysShown < n {
            notes.append(" · keys \(layout.firstKey)–\(layout.firstKey + layout.keysShown - 1)")
        }
        if layout.keysPerColumn > 1 { notes.append(" · max of ≤\(layout.keysPerColumn) keys a column") }
        notes.append(" · query ↓ key →")
        for note in notes {
            guard x + DisplayWidth.of(note) <= canvas.width else { break }
            x += canvas.put(note, x: x, y: 0, style: p.dim)
        }
    }

    /// The top keys and the head's summary, beside the heatmap or below it (`AttentionHeadPanelPlan`).
    private static func panel(_ state: ExplorerState, _ matrix: HeadMatrix, layer: Int, head: Int,
                              layout: AttentionHeadLayout, into canvas: inout Canvas) {
        let r = layout.panel
        guard r.width > 0, r.height > 0 else { return }
        let plan = AttentionHeadPanelPlan(state, matrix, layer: layer, head: head, layout: layout)
        canvas.within(r) { plan.draw(state, into: &$0) }
    }
}

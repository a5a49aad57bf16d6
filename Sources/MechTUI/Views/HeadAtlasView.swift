import Foundation

/// Every layer × head in one grid, each cell shaded by the chosen per-head metric, with the scale's
/// legend, the cursor head's scores, and the strongest heads. Fills in layer by layer as scores arrive.
/// Without colour a cell's blank columns around its number carry the shade glyph of its value.
public enum HeadAtlasView: PageView {
    public static func request(_ state: ExplorerState) -> AnalysisRequest? {
        if state.metric == .attribution {
            guard let target = state.logitTarget else { return nil }
            return .headMetric(.attribution, target: target)
        }
        return .headMetric(state.metric, target: nil)
    }

    public static func requests(_ state: ExplorerState) -> [AnalysisRequest] { request(state).map { [$0] } ?? [] }

    /// The metric's values (layer-major), NaN where not ready.
    public static func values(_ state: ExplorerState) -> [Double] {
        let count = state.model.layers * state.model.heads
        guard let r = request(state), case .headMetric(let v)? = state.results[r], v.count == count else {
            return Array(repeating: .nan, count: count)
        }
        return v
    }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        let m = state.model
        var a = state.atlas
        switch action {
        case .moveDown: a.layer = min(m.layers - 1, a.layer + count)
        case .moveUp: a.layer = max(0, a.layer - count)
        case .moveRight: a.head = min(m.heads - 1, a.head + count)
        case .moveLeft: a.head = max(0, a.head - count)
        case .top: a.layer = 0
        case .bottom: a.layer = m.layers - 1
        case .halfPageDown, .pageDown: a.layer = min(m.layers - 1, a.layer + max(1, m.layers / 2))
        case .halfPageUp, .pageUp: a.layer = max(0, a.layer - max(1, m.layers / 2))
        case .open: return .go(.head(layer: a.layer, head: a.head))
        case .nextMetric, .previousMetric:
            let all = HeadMetric.applicable(to: m)
            let i = all.firstIndex(of: state.metric) ?? 0
            state.metric = all[(i + (action == .nextMetric ? 1 : all.count - 1)) % all.count]
            return .redraw
        default: return nil
        }
        state.atlas = a
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        let p = canvas.palette, m = state.model
        let metric = state.metric
        let values = values(state)
        let finite = values.filter(\.isFinite)
        let scale = finite.map(abs).max() ?? 0
        let tokens = state.run?.count ?? 1
        canvas.put("Head atlas — \(metric.title)", x: 0, y: 0, style: p.heading)
        var y = 1
        if let r = request(state), let failure = state.results.failure(r) {
            canvas.put("cannot compute: \(failure)", x: 0, y: y, style: p.warning)
            y += 1
        } else if metric == .attribution, let t = state.logitTarget {
            let answer = TokenText.quoted(state, t.answer)
            canvas.put("answer \(answer)" + (t.wrong.map { " − wrong \(TokenText.quoted(state, $0))" } ?? "")
                       + "  (t chooses; m cycles the metric)", x: 0, y: y, style: p.dim)
            y += 1
        } else {
            canvas.put("m / M cycle the metric · Enter opens the head", x: 0, y: y, style: p.dim)
            y += 1
        }

        // The grid: a label column, then one cell per head.
        let labelWidth = 5
        // Presenting: cells up to twice as wide, and two lines tall where the layers fit.
        let cellWidth = max(2, min(state.presenting ? 14 : 7, (canvas.width - labelWidth) / max(1, m.heads)))
        let showNumbers = cellWidth >= 5
        let visibleHeads = min(m.heads, (canvas.width - labelWidth) / cellWidth)
        let firstHead = max(0, min(state.atlas.head - visibleHeads + 1, m.heads - visibleHeads))
        var header = ""
        for h in firstHead..<(firstHead + visibleHeads) {
            header += DisplayWidth.rightAligned(cellWidth >= 4 ? "H\(h)" : "\(h % 10)", cellWidth)
        }
        canvas.put(header, x: labelWidth, y: y, style: p.dim)
        y += 1
        // Below the grid: a blank line, the legend, the cursor head's line and the strongest heads.
        let rowsForGrid = canvas.height - y - Self.linesBelowGrid
        let gridRows = max(1, min(m.layers, rowsForGrid))
        let firstLayer = max(0, min(state.atlas.layer - gridRows + 1, m.layers - gridRows))
        let rowHeight = state.presenting && 2 * m.layers <= rowsForGrid ? 2 : 1
        for l in firstLayer..<(firstLayer + gridRows) {
            for extra in 1..<rowHeight {                                   // the taller cell's lower lines
                for h in firstHead..<(firstHead + visibleHeads) {
                    let cell = p.heat(metric.shade(values[l * m.heads + h], scale: scale, tokens: tokens), signed: metric.isSigned)
                    for dx in 0..<cellWidth { canvas.set(labelWidth + (h - firstHead) * cellWidth + dx, y + extra, cell) }
                }
            }
            canvas.put(DisplayWidth.fit("L\(l)", labelWidth), x: 0, y: y, style: l == state.atlas.layer ? p.accent : p.dim)
            for h in firstHead..<(firstHead + visibleHeads) {
                let v = values[l * m.heads + h]
                let shade = metric.shade(v, scale: scale, tokens: tokens)
                let selected = l == state.atlas.layer && h == state.atlas.head
                let cell = p.heat(shade, signed: metric.isSigned)
                var text = showNumbers && v.isFinite ? Self.numberCell(v, width: cellWidth, pad: p.hasColor ? " " : cell.text) : nil
                if selected { text = "[" + (text.map { String($0.dropFirst().dropLast()) } ?? String(repeating: " ", count: cellWidth - 2)) + "]" }
                let x0 = labelWidth + (h - firstHead) * cellWidth
                if let text {
                    var style = cell.style
                    if !p.hasColor { style = style.with(bold: selected, reverse: selected) }
                    canvas.put(text, x: x0, y: y, style: style.with(bold: selected))
                } else {
                    for dx in 0..<cellWidth { canvas.set(x0 + dx, y, cell) }
                }
            }
            y += rowHeight
        }
        y += 1
        y = legend(metric, scale: scale, y: y, into: &canvas)
        let cursorValue = values[state.atlas.layer * m.heads + state.atlas.head]
        canvas.put("L\(state.atlas.layer)H\(state.atlas.head): \(metric.rawValue) "
                   + (cursorValue.isFinite ? Self.format(cursorValue) : "computing…"), x: 0, y: y, style: p.accent)
        y += 1
        let ranked = Self.strongest(values, metric: metric, count: 5)
        if !ranked.isEmpty {
            let list = ranked.map {
                "L\($0.offset / m.heads)H\($0.offset % m.heads) \(metric.isSigned ? Self.signed($0.element) : Self.format($0.element))"
            }
            canvas.put((metric == .entropy ? "most focused: " : "strongest: ") + list.joined(separator: "  "),
                       x: 0, y: y, style: p.text)
        }
    }

    /// Lines drawn below the grid: a blank line, the legend, the cursor head's line, the strongest heads.
    static let linesBelowGrid = 4

    /// The `count` strongest heads (layer-major index, value): the lowest entropy, the largest
    /// magnitude on a signed (diverging) metric, else the largest value; ties to the earlier head.
    static func strongest(_ values: [Double], metric: HeadMetric, count: Int) -> [(offset: Int, element: Double)] {
        let key: (Double) -> Double = metric == .entropy ? { -$0 } : metric.isSigned ? { abs($0) } : { $0 }
        return Array(values.enumerated().filter { $0.element.isFinite }
            .sorted { key($0.element) != key($1.element) ? key($0.element) > key($1.element) : $0.offset < $1.offset }
            .prefix(count).map { (offset: $0.offset, element: $0.element) })
    }

    /// A signed value with its sign always written (+0.07, −0.08).
    static func signed(_ v: Double) -> String {
        v < 0 ? "−" + format(-v) : "+" + format(v)
    }

    /// The legend: the scale's gradient (or shades) with its end values.
    static func legend(_ metric: HeadMetric, scale: Double, y: Int, into canvas: inout Canvas) -> Int {
        let (low, high): (String, String)
        switch metric {
        case .entropy: (low, high) = ("0 (one key)", "ln n (uniform)")
        case .attribution: (low, high) = (Self.format(-scale), "+" + Self.format(scale))
        case .ovCopying: (low, high) = ("−1", "+1 (copies)")
        default: (low, high) = ("0", Self.format(scale) + " (max)")
        }
        // 20 cells of gradient (9 a side and zero when signed; in monochrome one a glyph).
        HeatLegend.draw(signed: metric.isSigned, low: low, high: high, steps: metric.isSigned ? 9 : 20, x: 0, y: y, into: &canvas)
        return y + 1
    }

    /// A number right-aligned in a cell of `width` columns, one column after it, the blank columns
    /// filled with `pad` (a shade glyph in monochrome, so the cell's value shows without colour).
    static func numberCell(_ v: Double, width: Int, pad: String) -> String {
        let text = DisplayWidth.rightAligned(format(v), width - 1) + " "
        return pad == " " ? text : text.replacingOccurrences(of: " ", with: pad)
    }

    static func format(_ v: Double) -> String {
        abs(v) >= 10 ? String(format: "%.1f", v) : String(format: "%.2f", v)
    }
}

/// Token text as views quote it.
public enum TokenText {
    /// 'text' of a token id.
    public static func quoted(_ state: ExplorerState, _ id: Int) -> String { "'" + state.vocabulary.display(id) + "'" }
}

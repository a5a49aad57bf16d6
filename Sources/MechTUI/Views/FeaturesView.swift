import Foundation

/// A toy superposition model's story: each feature's norm (is it represented?), interference and
/// dimensionality; the interference matrix WᵀW as a diverging heatmap; and which features share
/// dimensions. Works from the model's weights alone: no prompt, no run.
public enum FeaturesView: PageView {
    public static var needsRun: Bool { false }

    /// Where the page puts the list and the heatmap in a main area of `width` × `height`.
    public struct Layout: Equatable, Sendable {
        public static let listWidth = 47
        public let listRows: Int
        public let firstRow: Int
        /// The heatmap's top-left cell (feature 0, 0), relative to the main area, and a cell's width.
        public let heatX: Int
        public let heatY: Int
        public let cellWidth: Int
        /// Heatmap rows that fit, and the first one shown (scrolled to keep the cursor's row in view).
        public let heatRows: Int
        public let firstHeatRow: Int
        /// Whether the heatmap stands beside the list (else below it).
        public let beside: Bool

        public init(features n: Int, cursor: Int, width: Int, height: Int, presenting: Bool) {
            let labelWidth = String(n - 1).count + 1
            let room = width - Self.listWidth - 2 - labelWidth
            let beside = room >= n
            self.beside = beside
            cellWidth = beside ? max(1, min(presenting ? 3 : 2, room / max(1, n))) : max(1, min(2, (width - labelWidth) / max(1, n)))
            let top = 2
            if beside {
                heatX = Self.listWidth + 2 + labelWidth
                heatY = top + 2
                listRows = max(1, min(n, height - top - 1 - 3))
            } else {
                listRows = max(1, min(n, (height - top - 1 - 3) / 2))
                heatX = labelWidth
                heatY = top + 1 + listRows + 1 + 3 + 2
            }
            firstRow = max(0, min(cursor - listRows / 2, n - listRows))
            heatRows = max(0, min(n, height - heatY))
            firstHeatRow = max(0, min(cursor - heatRows / 2, n - heatRows))
        }
    }

    static func layout(_ state: ExplorerState, width: Int, height: Int) -> Layout? {
        guard let map = state.featureMap else { return nil }
        return Layout(features: map.count, cursor: state.featuresPage.row, width: width, height: height, presenting: state.presenting)
    }

    /// The heatmap's values: WᵀW, row i column j (feature i's readout of feature j).
    public static func heatValues(_ state: ExplorerState) -> [[Float]] { state.featureMap?.gram ?? [] }

    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        guard let map = state.featureMap else { return nil }
        var row = state.featuresPage.row
        let page = max(1, state.layout.main.height / 2)
        switch action {
        case .moveDown: row += count
        case .moveUp: row -= count
        case .top: row = 0
        case .bottom: row = map.count - 1
        case .halfPageDown, .pageDown: row += page
        case .halfPageUp, .pageUp: row -= page
        default: return nil
        }
        state.featuresPage.row = max(0, min(map.count - 1, row))
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        let p = canvas.palette
        guard let map = state.featureMap, let layout = layout(state, width: canvas.width, height: canvas.height) else {
            canvas.put("The features page is for toy superposition models.", x: 0, y: 0, style: p.warning)
            return
        }
        let n = map.count, cursor = state.featuresPage.row
        canvas.put("Features — \(map.representedCount) of \(n) represented (‖W_i‖ > \(FeatureMap.representedNorm)) in "
                   + "\(map.nHidden) dimensions · Σ‖W_i‖² = " + String(format: "%.2f", map.frobeniusNormSquared)
                   + (map.frobeniusNormSquared > Float(map.nHidden) ? " > \(map.nHidden): superposition" : ""),
                   x: 0, y: 0, style: p.heading)
        // The list
        var y = 2
        canvas.put("feat importance ‖W_i‖              interf.  D_i", x: 0, y: y, style: p.dim)
        y += 1
        for i in layout.firstRow..<min(n, layout.firstRow + layout.listRows) {
            let f = map.features[i]
            let selected = i == cursor
            let style = selected ? p.selection : (map.isRepresented(i) ? p.text : p.dim)
            if selected { canvas.clear(Rect(x: 0, y: y, width: Layout.listWidth, height: 1), style: style) }
            let head = String(format: "%4d %10@ %6.3f ", i, f.importance.map { String(format: "%.3f", $0) } ?? "–", f.norm)
            var x = canvas.put(head, x: 0, y: y, style: style)
            let bar = Self.bar(Double(f.norm), perUnit: 10, width: 12)
            x += canvas.put(DisplayWidth.fit(bar, 13), x: x, y: y, style: selected ? style : (map.isRepresented(i) ? p.accent : p.dim))
            canvas.put(String(format: "%7.3f %5.2f", f.interference, f.dimensionality), x: x, y: y, style: style)
            y += 1
        }
        y = 3 + layout.listRows + 1
        let room = layout.beside ? Layout.listWidth : canvas.width
        // Who shares dimensions with the cursor's feature
        let sharing = map.sharing(cursor)
        if !map.isRepresented(cursor) {
            canvas.put("feature \(cursor) is not represented (‖W_i‖ = " + String(format: "%.3f", map.features[cursor].norm)
                       + "): it has no direction to share", x: 0, y: y, style: p.dim, limit: room)
        } else if sharing.isEmpty {
            canvas.put("feature \(cursor) has a dimension to itself (no |cos| ≥ \(FeatureMap.sharingCosine))", x: 0, y: y, style: p.text,
                       limit: room)
        } else {
            let list = sharing.map { "\($0) (" + String(format: "%+.2f", map.cosine(cursor, $0)) + ")" }.joined(separator: " ")
            canvas.put("feature \(cursor) shares dimensions with: " + list, x: 0, y: y, style: p.text.with(bold: state.presenting),
                       limit: room)
        }
        let dropped = (0..<n).filter { !map.isRepresented($0) }
        canvas.put("dropped (‖W_i‖ ≤ \(FeatureMap.representedNorm)): "
                   + (dropped.isEmpty ? "none" : dropped.map(String.init).joined(separator: " ")), x: 0, y: y + 1, style: p.dim,
                   limit: room)
        canvas.put("cos(W_i, W_j) in brackets; j/k choose a feature", x: 0, y: y + 2, style: p.dim, limit: room)
        drawHeatmap(state, map, layout, into: &canvas)
    }

    /// A horizontal bar of `value · perUnit` cells in eighth blocks, at most `width` cells.
    static func bar(_ value: Double, perUnit: Double, width: Int) -> String {
        let eighths = BarCells.count(value * perUnit / Double(width), of: width * 8)
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }

    /// WᵀW as a diverging heatmap, feature i down, feature j across, the cursor's row and column marked.
    private static func drawHeatmap(_ state: ExplorerState, _ map: FeatureMap, _ layout: Layout, into canvas: inout Canvas) {
        let p = canvas.palette, n = map.count, cw = layout.cellWidth, cursor = state.featuresPage.row
        let scale = map.gramScale
        let labelWidth = String(n - 1).count + 1
        let x = canvas.put("Interference WᵀW   ", x: layout.heatX - labelWidth, y: layout.heatY - 2, style: p.heading)
        HeatLegend.draw(signed: true, low: String(format: "%.2f", -scale), high: String(format: "%+.2f", scale), steps: 4,
                        x: layout.heatX - labelWidth + x, y: layout.heatY - 2, into: &canvas)
        let digits = String(n - 1).count
        for j in 0..<n where cw > digits || j % 5 == 0 || j == cursor {     // column numbers where they fit
            canvas.put(String(j), x: layout.heatX + j * cw, y: layout.heatY - 1, style: j == cursor ? p.accent.with(bold: true) : p.dim)
        }
        for i in layout.firstHeatRow..<(layout.firstHeatRow + layout.heatRows) {
            let y = layout.heatY + i - layout.firstHeatRow
            canvas.put(DisplayWidth.rightAligned(String(i), labelWidth - 1), x: layout.heatX - labelWidth, y: y,
                       style: i == cursor ? p.accent.with(bold: true) : p.dim)
            for j in 0..<n {
                let cell = p.heat(scale > 0 ? Double(map.gram[i][j] / scale) : 0, signed: true)
                for dx in 0..<cw { canvas.set(layout.heatX + j * cw + dx, y, cell) }
                if i == cursor && j == cursor { canvas.set(layout.heatX + j * cw, y, Cell("◆", style: cell.style.with(bold: true))) }
            }
        }
    }
}

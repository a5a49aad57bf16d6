import Foundation

/// The active ablations, one place to see, toggle and clear them, with what they do to the
/// prediction against the clean run.
public enum AblationsView: PageView {
    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        let last = max(0, state.ablations.count - 1)
        switch action {
        case .moveDown: state.ablationsPage.row = min(last, state.ablationsPage.row + count)
        case .moveUp: state.ablationsPage.row = max(0, state.ablationsPage.row - count)
        case .top: state.ablationsPage.row = 0
        case .bottom: state.ablationsPage.row = last
        default: return nil
        }
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        let p = canvas.palette
        canvas.put("Ablations (\(state.ablations.filter(\.enabled).count) on of \(state.ablations.count))", x: 0, y: 0, style: p.heading)
        canvas.put("x/X on the atlas, a head or a neuron adds one · Enter: on/off · c: clear all", x: 0, y: 1, style: p.dim)
        guard !state.ablations.isEmpty else {
            canvas.put("No ablations: the runs are clean.", x: 0, y: 3, style: p.text)
            return
        }
        var y = 3
        for (i, a) in state.ablations.enumerated() {
            guard y < canvas.height - 6 else { break }
            let selected = i == state.ablationsPage.row
            let style = selected ? p.selection : (a.enabled ? p.text : p.dim)
            canvas.line("", y: y, style: selected ? p.selection : .plain)
            canvas.put((a.enabled ? "[on]  " : "[off] ") + a.label, x: 1, y: y, style: style)
            y += 1
        }
        y += 1
        for line in AblationReadout.lines(state) {
            guard y < canvas.height else { break }
            canvas.put(line, x: 0, y: y, style: p.accent)
            y += 1
        }
    }
}

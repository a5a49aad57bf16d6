import Foundation

/// The model's next-token top-k at the last position; choosing a token makes it the answer (or
/// the wrong token of a logit difference) for attribution and the atlas's DLA metric.
public enum NextTokenView: PageView {
    public static func handle(_ action: Action, count: Int, state: inout ExplorerState) -> PageOutcome? {
        guard let run = state.run, !run.topNext.isEmpty else { return nil }
        let last = run.topNext.count - 1
        switch action {
        case .moveDown: state.logitsPage.row = min(last, state.logitsPage.row + count)
        case .moveUp: state.logitsPage.row = max(0, state.logitsPage.row - count)
        case .top: state.logitsPage.row = 0
        case .bottom: state.logitsPage.row = last
        case .halfPageDown, .pageDown: state.logitsPage.row = min(last, state.logitsPage.row + 5)
        case .halfPageUp, .pageUp: state.logitsPage.row = max(0, state.logitsPage.row - 5)
        case .setAnswer, .open: return .setAnswer(run.topNext[min(state.logitsPage.row, last)].tokenID)
        case .setWrong: return .setWrong(run.topNext[min(state.logitsPage.row, last)].tokenID)
        case .clearWrong: return .setWrong(nil)
        default: return nil
        }
        return .redraw
    }

    public static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        guard let run = state.run else { return }
        let p = canvas.palette
        canvas.put("Next token after '\(run.tokenTexts.last ?? "")' (position \(run.count - 1))", x: 0, y: 0, style: p.heading)
        canvas.put("Enter: answer · w: wrong token · W: clear wrong", x: 0, y: 1, style: p.dim)
        let answer = state.effectiveAnswer, wrong = state.wrong
        let barWidth = max(4, min(30, canvas.width - 48))
        canvas.put("   #  " + DisplayWidth.fit("token", 20) + "    prob     logit", x: 0, y: 3, style: p.dim)
        for (i, t) in run.topNext.enumerated() {
            let y = 4 + i
            guard y < canvas.height - 3 else { break }
            let marker = t.tokenID == answer ? "A" : (t.tokenID == wrong ? "W" : " ")
            let text = String(format: "%@%3d  ", marker, i + 1) + DisplayWidth.fit("'\(t.text)'", 20)
                + String(format: " %6.2f%% %9.3f ", Double(t.probability) * 100, Double(t.logit))
            let selected = i == state.logitsPage.row
            let style = selected ? p.selection : (t.tokenID == answer ? p.accent : p.text)
            canvas.line("", y: y, style: selected ? p.selection : .plain)
            let used = canvas.put(text, x: 0, y: y, style: style)
            let filled = BarCells.count(Double(t.probability), of: barWidth)
            canvas.put(String(repeating: "█", count: filled), x: used, y: y, style: selected ? style : p.positive)
        }
        var y = min(canvas.height - 3, 5 + run.topNext.count)
        if let answer, let logits = run.result.lastLogits {
            var line = "answer '\(state.vocabulary.display(answer))' logit " + String(format: "%.3f", Double(logits[answer]))
            if let wrong {
                line += " · wrong '\(state.vocabulary.display(wrong))' logit " + String(format: "%.3f", Double(logits[wrong]))
                line += " · difference " + String(format: "%+.3f", Double(logits[answer] - logits[wrong]))
            }
            canvas.put(line, x: 0, y: y, style: p.accent)
            y += 1
        }
        for line in AblationReadout.lines(state) {
            guard y < canvas.height else { break }
            canvas.put(line, x: 0, y: y, style: p.warning)
            y += 1
        }
    }
}

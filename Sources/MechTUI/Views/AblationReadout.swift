import Foundation

/// The ablated run's answer probability, logit difference and loss against the clean run's, as
/// the next-token and ablations pages print them and the title's short marker.
enum AblationReadout {
    /// The comparison for the answer in force, when the current run has ablations on.
    static func comparison(_ state: ExplorerState) -> (ablated: RunMetrics, clean: RunMetrics)? {
        guard let run = state.run, let answer = state.effectiveAnswer else { return nil }
        return run.comparison(answer: answer, wrong: state.wrong)
    }

    /// Lines "ablated vs clean" for probability, logit difference (or the answer's logit without a
    /// wrong token) and loss, each with its delta.
    static func lines(_ state: ExplorerState) -> [String] {
        guard let run = state.run, let (a, c) = comparison(state), let answer = state.effectiveAnswer else { return [] }
        var lines = ["with \(run.ablations.map(\.label).joined(separator: ", ")) vs the clean run:"]
        lines.append("  p('\(state.vocabulary.display(answer))') " + row(a.answerProbability * 100, c.answerProbability * 100, "%.2f%%"))
        if let da = a.logitDifference, let dc = c.logitDifference {
            lines.append("  logit difference " + row(da, dc, "%.4f"))
        } else {
            lines.append("  answer logit " + row(a.answerLogit, c.answerLogit, "%.4f") + " (w on the next-token page: a wrong token)")
        }
        if let la = a.loss, let lc = c.loss { lines.append("  loss " + row(la, lc, "%.4f")) }
        return lines
    }

    /// "1.2345 (clean 2.3456, Δ -1.1111)".
    static func row(_ ablated: Float, _ clean: Float, _ format: String) -> String {
        String(format: format, Double(ablated)) + " (clean " + String(format: format, Double(clean)) + ", Δ "
            + String(format: format.replacingOccurrences(of: "%.", with: "%+."), Double(ablated - clean)) + ")"
    }

    /// The title's marker: "ablated ×2 Δdiff -1.234" (or Δp without a wrong token).
    static func marker(_ state: ExplorerState) -> String? {
        guard let run = state.run, !run.ablations.isEmpty else { return nil }
        var text = "ablated ×\(run.ablations.count)"
        if let (a, c) = comparison(state) {
            if let da = a.logitDifference, let dc = c.logitDifference {
                text += String(format: " Δdiff %+.3f", Double(da - dc))
            } else {
                text += String(format: " Δp %+.2f%%", Double(a.answerProbability - c.answerProbability) * 100)
            }
        }
        return text
    }
}

import Foundation
import MechAnalysis

/// The attention-head page's text: what the cursor's query attends to (the top keys with their
/// weights, the cursor cell), and the head itself (its pattern scores, OV and QK circuits read at
/// the circuit token, copying score, compositions with earlier heads).
enum AttentionHeadPanel {
    /// "top keys of query 12 ' Fizz':" and one line per key, heaviest first:
    /// "▸ 5 ' Bart'  0.82" (▸ marks the cursor's key; scores mode adds the pre-softmax score in a
    /// second column), then the cursor's cell.
    static func attention(_ state: ExplorerState, _ matrix: HeadMatrix, width: Int, keys: Int) -> PanelLines {
        var out = PanelLines(width: width)
        guard let run = state.run else { return out }
        let q = state.headPage.query, cursorKey = state.headPage.key
        let digits = String(run.count - 1).count
        let scoreColumns = matrix.showScores ? 8 : 0
        let tokenColumns = max(6, min(16, width - digits - 9 - scoreColumns))
        out.add("top keys of query \(q) \(TokenLabel.quoted(run.tokenTexts[q], max: 24)):", .heading)
        if matrix.showScores {
            out.add(String(repeating: " ", count: digits + 3 + tokenColumns) + "weight   score", .dim)
        }
        for k in matrix.topKeys(q, count: keys) {
            var line = (k == cursorKey ? "▸ " : "  ") + DisplayWidth.rightAligned(String(k), digits) + " "
                + DisplayWidth.fit(TokenLabel.quoted(run.tokenTexts[k], max: tokenColumns), tokenColumns)
                + "  " + weight(matrix.weight(q, k))
            if let s = matrix.score(q, k) { line += DisplayWidth.rightAligned(number(s), scoreColumns) }
            out.add(line, k == cursorKey ? .accent : .text)
        }
        var cursor = "cursor k\(cursorKey) \(TokenLabel.quoted(run.tokenTexts[cursorKey], max: 16))"
            + " " + weight(matrix.weight(q, cursorKey))
        if let s = matrix.score(q, cursorKey) { cursor += " score " + number(s) }
        out.add(cursor, .dim)
        return out
    }

    /// The head's scores and circuits.
    static func circuits(_ state: ExplorerState, layer: Int, head: Int, width: Int) -> PanelLines {
        var out = PanelLines(width: width)
        let scores = HeadScoreSummary(state, layer: layer, head: head)
        out.wrap("scores: ", HeadScoreSummary.metrics(state.model).map(scores.chip))
        guard state.model.hasLMHead else {
            out.add("OV/QK: no LM head (\(state.model.modelType) encoder)", .dim)
            return out
        }
        guard let token = AttentionHeadView.circuitToken(state) else { return out }
        let request = AnalysisRequest.headCircuit(layer: layer, head: head, token: token)
        let why = state.headPage.circuitToken == nil ? (state.run?.prependBOS == true && state.headPage.query > 0 ? "top key after BOS of q" : "top key of q") + "\(state.headPage.query)" : "pinned by Enter"
        out.wrap("OV/QK at ", [TokenLabel.quoted(state.vocabulary.display(token), max: 20), "(\(why))"],
                 separator: " ", .heading)
        if let failure = state.results.failure(request) {
            out.add("cannot compute: \(failure)", .warning)
            return out
        }
        guard case .headCircuit(let c)? = state.results[request] else {
            out.add("\(Spinner.frame(state.spinnerFrame)) computing circuits…", .dim)
            return out
        }
        out.wrapScored("OV promotes: ", c.promoted.prefix(6).map { chip($0, state) })
        out.wrapScored("OV suppresses: ", c.suppressed.prefix(6).map { chip($0, state) })
        out.add("copying score \(number(Float(c.copyingScore))) (Σλ/Σ|λ| of the full OV circuit)")
        out.wrapScored("QK as query prefers keys: ", c.preferredKeys.prefix(6).map { chip($0, state) })
        if let positional = c.positional {
            out.add("positional: prefers offset \(positional.preferredOffset) (argmax on "
                    + String(format: "%.0f%%", positional.share * 100) + " of queries)")
        } else {
            out.add("positional: no learned positions (rotary or none), so no positional QK circuit", .dim)
        }
        if c.compositions.isEmpty {
            out.add("compositions: none (no earlier layer)", .dim)
        } else {
            out.add("strongest compositions with earlier heads:", .heading)
            for kind in ["Q", "K", "V"] {
                let heads = c.compositions.filter { $0.kind == kind }
                guard !heads.isEmpty else { continue }
                out.wrap("  \(kind): ", heads.map { "L\($0.layer)H\($0.head) \(number($0.score))" }, indent: 5)
            }
        }
        return out
    }

    /// A circuit token and its score, for `PanelLines.wrapScored` (which cuts the token to fit, never the score).
    static func chip(_ s: CircuitTokenScore, _ state: ExplorerState) -> (token: String, value: String) {
        (state.vocabulary.display(s.token), String(format: "%+.2f", Double(s.score)))
    }

    /// Attention weights as every list on the page prints them.
    static func weight(_ w: Float) -> String { String(format: "%.2f", Double(w)) }
    static func number(_ v: Float) -> String { String(format: "%.2f", Double(v)) }
}

import Foundation

/// A head's pattern scores on the prompt (the atlas metrics previous-token, duplicate-token,
/// induction and entropy), read from the metric results as they arrive: NaN until ready.
struct HeadScoreSummary {
    /// The metrics the attention pages request (cheap: one pass over the cached patterns).
    static let metrics: [HeadMetric] = [.previousToken, .duplicateToken, .induction, .entropy]
    /// The metrics a head's "strongest score" is chosen from (entropy measures focus, not a role).
    static let roles: [HeadMetric] = [.previousToken, .duplicateToken, .induction]

    /// The metrics of `metrics` defined for the model (no induction score for an encoder).
    static func metrics(_ model: ModelSummary) -> [HeadMetric] { metrics.filter { $0.inapplicability(to: model) == nil } }

    static func requests(_ model: ModelSummary) -> [AnalysisRequest] { metrics(model).map { .headMetric($0, target: nil) } }

    let values: [HeadMetric: Double]

    init(_ state: ExplorerState, layer: Int, head: Int) {
        let m = state.model
        var values: [HeadMetric: Double] = [:]
        for metric in Self.metrics(m) {
            if case .headMetric(let v)? = state.results[.headMetric(metric, target: nil)], v.count == m.layers * m.heads {
                values[metric] = v[layer * m.heads + head]
            } else {
                values[metric] = .nan
            }
        }
        self.values = values
    }

    subscript(_ metric: HeadMetric) -> Double { values[metric] ?? .nan }

    /// The largest role score and its metric, once any is ready.
    var strongest: (metric: HeadMetric, value: Double)? {
        Self.roles.compactMap { m in self[m].isFinite ? (m, self[m]) : nil }.max { $0.1 < $1.1 }
    }

    /// "prev", "dup", "ind", "entropy": the short names the pages print.
    static func shortName(_ metric: HeadMetric) -> String {
        switch metric {
        case .previousToken: return "prev"
        case .duplicateToken: return "dup"
        case .induction: return "ind"
        case .entropy: return "entropy"
        default: return metric.rawValue
        }
    }

    /// "prev 0.95", or "prev …" while computing.
    func chip(_ metric: HeadMetric) -> String {
        Self.shortName(metric) + " " + (self[metric].isFinite ? Self.format(self[metric]) : "…")
    }

    static func format(_ v: Double) -> String { String(format: "%.2f", v) }
}

import Foundation
import MechAnalysis

/// Figures for `mechscope bench-explorer`: how fast the explorer answers, measured on the same
/// core, views and renderer the terminal runs (headless, compute inline, so a key's time includes
/// whatever it had to compute). Nothing here passes or fails.
public enum ExplorerBenchmark {
    public struct PageTiming {
        public let page: String
        public let keys: Int
        public let p50, p99, max: Double      // milliseconds per key, key in → frame drawn and diffed
    }

    public struct MetricTiming {
        public let metric: String
        public let milliseconds: Double
    }

    public struct Report {
        /// Milliseconds: first frame (start, tokenize, forward with full cache, first metric, draw).
        public let firstFrame: Double
        /// Of which: tokenizing and the forward pass with the full cache (first touch of the weights).
        public let firstRun: Double
        public let tokens: Int
        public let metrics: [MetricTiming]
        public let pages: [PageTiming]
    }

    /// Opens the explorer on `session`, times the first frame, fills every atlas metric (the first
    /// use of processed weights included), then times `keys` movement keys on each page after a
    /// warm-up pass, so the views are cached as a user browsing finds them.
    public static func run(session: AnalysisSession, prompt: String, prependBOS: Bool, width: Int, height: Int,
                           keys: Int) -> Report {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let explorer = HeadlessExplorer(session: session, prompt: prompt, prependBOS: prependBOS, width: width, height: height)
        let firstFrame = milliseconds(since: t0)
        let firstRunMs = explorer.state.run?.milliseconds ?? 0

        var metrics: [MetricTiming] = []
        for metric in HeadMetric.applicable(to: explorer.state.model) {
            let s = DispatchTime.now().uptimeNanoseconds
            explorer.command("metric \(metric.rawValue)")
            metrics.append(MetricTiming(metric: metric.rawValue, milliseconds: milliseconds(since: s)))
        }

        let m = explorer.state.model
        let l = m.layers / 2, h = m.heads / 2
        var pages: [(String, String, Page, [Key])] = [
            ("head atlas", "atlas", .atlas, [.char("j"), .char("l"), .char("k"), .char("h")]),
            ("attention head", "head L\(l)H\(h)", .head(layer: l, head: h), [.char("j"), .char("l"), .char("k"), .char("h")]),
            ("layer heads", "layer \(l)", .layer(l), [.char("l"), .char("h")]),
            ("logit lens", "lens", .lens, [.char("k"), .char("h"), .char("j"), .char("l")]),
            ("next token", "logits", .logits, [.char("j"), .char("k")]),
            ("attribution", "dla", .attribution, [.char("j"), .char("k")]),
            ("embedding", "embed", .embed, [.char("j"), .char("k")]),
        ]
        if m.hasMLP {
            pages.insert(("MLP neurons", "neurons \(l)", .neurons(layer: l), [.char("j"), .char("h"), .char("k"), .char("l")]), at: 3)
            pages.insert(("neuron", "neuron L\(l)N0", .neuron(layer: l, neuron: 0), [.char("j"), .char("k")]), at: 4)
        }
        pages.removeAll { $0.2.inapplicability(to: m) != nil }      // an encoder's next-token pages
        var timings: [PageTiming] = []
        for (name, command, _, cycle) in pages {
            explorer.command(command)
            for i in 0..<(cycle.count * 4) { explorer.press(cycle[i % cycle.count]) }   // warm-up: fill the caches
            var samples: [Double] = []
            var previous = explorer.grid
            for i in 0..<keys {
                let s = DispatchTime.now().uptimeNanoseconds
                explorer.press(cycle[i % cycle.count])
                _ = explorer.grid.changedRows(since: previous)          // what the backend compares before writing
                samples.append(milliseconds(since: s))
                previous = explorer.grid
            }
            samples.sort()
            timings.append(PageTiming(page: name, keys: keys, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99),
                                      max: samples.last ?? 0))
        }
        return Report(firstFrame: firstFrame, firstRun: firstRunMs, tokens: explorer.state.run?.count ?? 0, metrics: metrics, pages: timings)
    }

    static func milliseconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
    }
}

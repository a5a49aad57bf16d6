import Foundation
import MechAnalysis
import MechModels

/// Prints a composition-score matrix: rows are the earlier (writing) heads, columns the later
/// (reading) heads; only pairs with the earlier head in an earlier layer are nonzero.
struct CompositionMatrixReport {
    let scores: CompositionScores
    let model: LoadedModel

    struct Pair: Encodable { var from: String; var to: String; var score: Float }
    struct Report: Encodable {
        var model: String, kind: String, labels: [String]
        /// scores[i][j]: head i (row, earlier) composing into head j (column, later); labels index both.
        var scores: [[Float]]
        var top_pairs: [Pair]
    }

    private var labels: [String] { (0..<scores.layers).flatMap { l in (0..<scores.heads).map { "L\(l)H\($0)" } } }

    private var matrix: [[Float]] {
        let n = scores.layers * scores.heads
        return (0..<n).map { i in Array(scores.values[(i * n)..<((i + 1) * n)]) }
    }

    private var topPairs: [Pair] {
        let n = scores.layers * scores.heads, names = labels
        return scores.values.indices.filter { scores.values[$0] > 0 }
            .sorted { scores.values[$0] > scores.values[$1] }.prefix(10)
            .map { Pair(from: names[$0 / n], to: names[$0 % n], score: scores.values[$0]) }
    }

    func print(json: Bool) throws {
        if json {
            try JSONOutput.print(Report(model: model.folder.path, kind: scores.kind.rawValue, labels: labels,
                                        scores: matrix, top_pairs: topPairs))
            return
        }
        let H = scores.heads, L = scores.layers, names = labels
        guard L > 1 else {
            Swift.print("\(scores.kind.rawValue)-composition scores of \(model.name): "
                        + "one layer, so no head reads an earlier head's output (no pairs)")
            return
        }
        let writers = L == 2 ? "layer 0" : "layers 0–\(L - 2)", readers = L == 2 ? "layer 1" : "layers 1–\(L - 1)"
        Swift.print("\(scores.kind.rawValue)-composition scores of \(model.name): rows write (\(writers)), columns read (\(readers))")
        let columns = Array((H)..<(L * H)), rows = Array(0..<((L - 1) * H))
        Swift.print("        " + columns.map { names[$0].padding(toLength: 6, withPad: " ", startingAt: 0) }.joined())
        let m = matrix
        for i in rows {
            Swift.print(names[i].padding(toLength: 8, withPad: " ", startingAt: 0)
                        + columns.map { m[i][$0] == 0 ? "   .  " : String(format: "%5.3f ", m[i][$0]) }.joined())
        }
        Swift.print("top pairs: " + topPairs.map { "\($0.from)→\($0.to) \(String(format: "%.3f", $0.score))" }.joined(separator: ", "))
    }
}

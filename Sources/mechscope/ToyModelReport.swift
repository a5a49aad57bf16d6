import Foundation
import MechAnalysis
import MechModels

/// What `info`, `run` and `features` print for a toy superposition model.
enum ToyModelReport {
    struct Info: Encodable {
        var folder: String
        var model_type: String
        var n_features: Int
        var n_hidden: Int
        var feature_probability: Double?
        var represented_features: Int
        var frobenius_norm_squared: Float
    }

    static func info(_ toy: ToySuperpositionModel, json: Bool) throws {
        let g = SuperpositionGeometry(toy)
        let info = Info(folder: toy.folder.path, model_type: ToySuperpositionModel.modelType, n_features: toy.nFeatures,
                        n_hidden: toy.nHidden, feature_probability: toy.featureProbability,
                        represented_features: g.representedCount(), frobenius_norm_squared: g.frobeniusNormSquared)
        try finish(info, toy, json: json) { printInfo(info, toy) }
    }

    private static func printInfo(_ info: Info, _ toy: ToySuperpositionModel) {
        print("""
        model      \(info.folder)
        type       toy superposition (ReLU output model): \(toy.nFeatures) features in \(toy.nHidden) dimensions
        sparsity   feature probability \(toy.featureProbability.map { String($0) } ?? "unknown")
        geometry   \(info.represented_features) features with ‖W_i‖ > \(SuperpositionGeometry.representedNorm); Σ‖W_i‖² = \(number(info.frobenius_norm_squared)) \
        (> \(toy.nHidden) only in superposition)
        """)
    }

    struct RunReport: Encodable { var input: [Float]; var hidden: [Float]; var output: [Float] }

    static func run(_ toy: ToySuperpositionModel, input text: String, json: Bool) throws {
        let x = try toy.parseInput(text)
        let (h, out) = toy.run(x)
        let report = RunReport(input: x.scalars, hidden: h.scalars, output: out.scalars)
        let stage = report.hidden.allSatisfy(\.isFinite) ? "the output" : "the hidden vector"
        try finish(report, toy, json: json, overflow: "\(stage) (the input overflows float32 through finite weights)") {
            printRun(report, toy)
        }
    }

    /// Three decimals, or scientific notation for values too wide for that (at most 12 characters).
    private static func printRun(_ report: RunReport, _ toy: ToySuperpositionModel) {
        print("hidden  " + report.hidden.map { bounded($0, sign: true) }.joined(separator: " "))
        print("feature   input  output")
        for i in 0..<toy.nFeatures where report.input[i] != 0 || report.output[i] > 0.01 {
            print(String(format: "%7d  ", i) + [report.input[i], report.output[i]].map { value in
                let text = bounded(value)
                return String(repeating: " ", count: max(0, 6 - text.count)) + text
            }.joined(separator: "  "))
        }
    }

    /// A number of at most 12 characters: three decimals, or scientific notation when that is wider.
    static func bounded(_ x: Float, sign: Bool = false) -> String {
        let fixed = String(format: sign ? "%+.3f" : "%.3f", x)
        if fixed.count <= 12 { return fixed }
        return String(format: sign ? "%+.2e" : "%.2e", x)
    }

    struct FeatureRow: Encodable {
        var feature: Int; var importance: Double?; var norm: Float; var interference: Float
        var dimensionality: Float; var bias: Float
    }

    static func features(_ toy: ToySuperpositionModel, json: Bool) throws {
        let g = SuperpositionGeometry(toy)
        let rows = g.features.map {
            FeatureRow(feature: $0.index, importance: $0.importance, norm: $0.norm, interference: $0.interference,
                       dimensionality: $0.dimensionality, bias: $0.bias)
        }
        try finish(rows, toy, json: json) { printFeatures(rows, g, toy) }
    }

    /// The table, every cell in its column (scientific notation when a value is too wide) and each
    /// bar (10 cells per unit of ‖W_i‖) capped to what the terminal width leaves.
    private static func printFeatures(_ rows: [FeatureRow], _ g: SuperpositionGeometry, _ toy: ToySuperpositionModel) {
        let unknown = g.features.filter { !$0.norm.isFinite }.count   // NaN/∞ norms: neither counted nor ruled out
        print("\(g.representedCount()) of \(toy.nFeatures) features represented (‖W_i‖ > \(SuperpositionGeometry.representedNorm)"
              + (unknown > 0 ? "; \(unknown) with a non-finite norm" : "") + ") in \(toy.nHidden) dimensions; "
              + "Σ‖W_i‖² = " + number(g.frobeniusNormSquared))
        print("feature  importance   ‖W_i‖   interference  dimensionality    bias")
        let columns = TerminalWidth.columns
        for r in rows {
            // The toy format makes importance optional (toy-edge has none): absent is "–", as the explorer shows it.
            let importance = r.importance.map { String(format: "%10.4f", $0) } ?? String(repeating: " ", count: 9) + "–"
            let line = String(format: "%7d  %@  %@  %@  %@  %@  ", r.feature, importance,
                              cell(r.norm, 6), cell(r.interference, 12), cell(r.dimensionality, 14), cell(r.bias, 6, sign: true))
            print(line + Bar.proportional(r.norm, perUnit: 10, limit: max(0, columns - line.count - 1)))
        }
    }

    /// Prints `report` (JSON, or `text`), then fails naming the tensor with non-finite values (or the
    /// metrics, or `overflow`, when finite weights overflow float32) if any printed number is not finite.
    private static func finish<T: Encodable>(_ report: T, _ toy: ToySuperpositionModel, json: Bool,
                                             overflow: String = "the computed metrics (finite weights overflow float32)",
                                             text: () -> Void) throws {
        let nonFinite: Bool
        if json {
            nonFinite = try JSONOutput.print(report)
        } else {
            text()
            nonFinite = try JSONOutput.encode(report).hadNonFinite
        }
        guard nonFinite else { return }
        throw ModelError.nonFiniteValues(hook: toy.firstNonFiniteTensor ?? overflow,
                                         folder: toy.folder.path)
    }

    /// A table cell of `width` characters: three decimals, or scientific notation for values too
    /// large for the column.
    static func cell(_ x: Float, _ width: Int, sign: Bool = false) -> String {
        let fixed = String(format: sign ? "%+\(width).3f" : "%\(width).3f", x)
        if fixed.count <= width { return fixed }
        return String(format: sign ? "%+\(width).2e" : "%\(width).2e", x)
    }

    /// A number in running text: three decimals, scientific notation from a million up.
    static func number(_ x: Float) -> String {
        abs(x) < 1e6 || !x.isFinite ? String(format: "%.3f", x) : String(format: "%.2e", x)
    }
}

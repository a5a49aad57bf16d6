import Foundation
import MechAnalysis
import MechModels

/// What `mechscope patch` reports: both prompts, the unpatched differences and one grid per target.
struct PatchReport: Encodable {
    struct Prompt: Encodable {
        var prompt: String?
        var token_ids: [Int]
        var tokens: [String]
    }
    struct Token: Encodable { var token_id: Int; var token: String }
    struct Grid: Encodable {
        /// ["layer", "pos"] or ["layer", "head"].
        var axes: [String]
        /// (patched − corrupted) / (clean − corrupted), rows per layer.
        var normalized: [[Float]]
        /// logit[answer] − logit[wrong] at the last position of each patched run.
        var patched_logit_diff: [[Float]]
        /// Cells that needed a forward pass (the rest were known no-ops).
        var forward_passes: Int
    }

    var model: String
    var direction: String
    var patched_run: String
    var clean: Prompt
    var corrupted: Prompt
    var answer: Token
    var wrong: Token
    var clean_logit_diff: Float
    var corrupted_logit_diff: Float
    var first_difference: Int
    var grids: [String: Grid]

    init(model: LoadedModel, sweep: PatchingSweep, grids: [PatchingGrid], cleanText: String?, corruptedText: String?) {
        func prompt(_ text: String?, _ ids: [Int]) -> Prompt {
            Prompt(prompt: text, token_ids: ids, tokens: ids.map { TokenArgument.display($0, model: model) })
        }
        self.model = model.folder.path
        direction = sweep.direction.rawValue
        patched_run = sweep.direction == .denoising
            ? "corrupted tokens run with clean activations patched in"
            : "clean tokens run with corrupted activations patched in"
        clean = prompt(cleanText, sweep.clean)
        corrupted = prompt(corruptedText, sweep.corrupted)
        answer = Token(token_id: sweep.metric.answer, token: TokenArgument.display(sweep.metric.answer, model: model))
        wrong = Token(token_id: sweep.metric.wrong, token: TokenArgument.display(sweep.metric.wrong, model: model))
        clean_logit_diff = sweep.cleanLogitDiff
        corrupted_logit_diff = sweep.corruptedLogitDiff
        first_difference = sweep.plan.firstDifference
        self.grids = Dictionary(uniqueKeysWithValues: grids.map { g in
            (g.target.rawValue, Grid(axes: ["layer", g.target.isPerPosition ? "pos" : "head"],
                                     normalized: g.normalizedRows, patched_logit_diff: g.patchedRows,
                                     forward_passes: g.forwardPasses))
        })
    }

    /// The human-readable report: position grids with positions as rows (one column per layer),
    /// head grids with layers as rows (one column per head).
    func printTable(sweep: PatchingSweep, grids: [PatchingGrid], model: LoadedModel) {
        let differing = sweep.plan.agreeing.indices.filter { !sweep.plan.agreeing[$0] }
        print("clean      \(clean.token_ids.count) tokens: " + clean.tokens.map { "[\($0)]" }.joined())
        print("corrupted  differs at position\(differing.count == 1 ? "" : "s") "
              + differing.map { "\($0) ('\(clean.tokens[$0])' → '\(corrupted.tokens[$0])')" }.joined(separator: ", "))
        print("metric     logit['\(answer.token)'] − logit['\(wrong.token)'] at the last position: "
              + String(format: "clean %.4f, corrupted %.4f", clean_logit_diff, corrupted_logit_diff))
        print("direction  \(direction): \(patched_run)")
        print("cells      (patched − corrupted) / (clean − corrupted): 1 = clean behaviour, 0 = corrupted")
        for grid in grids {
            print("")
            let runs = "\(Plural.count(grid.forwardPasses, "forward pass", "forward passes")), "
                + "\(Plural.count(grid.layers * grid.columns - grid.forwardPasses, "cell")) known without one"
            if grid.target.isPerPosition {
                print("\(grid.target.rawValue)  (rows: positions, columns: layers; \(runs))")
                let tokenWidth = min(16, max(5, clean.tokens.map { $0.count + 2 }.max() ?? 5))
                print("  pos " + pad("token", tokenWidth) + (0..<grid.layers).map { pad("L\($0)", 8, left: true) }.joined())
                for p in 0..<grid.columns {
                    let token = "'" + clean.tokens[p].prefix(tokenWidth - 2) + "'"
                    let marker = sweep.plan.agreeing[p] ? " " : "*"
                    print(String(format: "%4d", p) + marker + pad(token, tokenWidth)
                          + (0..<grid.layers).map { pad(Self.cell(grid.normalized(layer: $0, column: p)), 8, left: true) }.joined())
                }
            } else {
                print("heads  (rows: layers, columns: heads; \(runs))")
                print("layer" + (0..<grid.columns).map { pad("H\($0)", 8, left: true) }.joined())
                for l in 0..<grid.layers {
                    print(pad("L\(l)", 5) + (0..<grid.columns).map { pad(Self.cell(grid.normalized(layer: l, column: $0)), 8, left: true) }.joined())
                }
            }
        }
    }

    private static func cell(_ v: Float) -> String { String(format: "%.3f", v == 0 ? 0 : v) }

    private func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return left ? fill + s : s + fill
    }
}

import ArgumentParser
import Foundation
import MechAnalysis
import MechModels

/// `mechscope ablate`: each head's (or one layer's neurons') effect on the logit difference and loss.
struct AblationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ablate",
        abstract: "Ablate each head (or each neuron of one layer) and report the change in logit difference and loss.",
        discussion: """
        The metric is logit[answer] − logit[wrong] at the last position, plus the mean next-token \
        loss over the prompt. Zero-ablation follows TransformerLens's default processed model: a head's \
        z (with its value bias folded into b_O) is set to 0, which on the raw weights is z = b_V + ln1.b·W_V. \
        --mean replaces the head's z (or the neuron's activation) at every position by its mean over \
        the positions of the prompt, or of --reference TEXT.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @Option(parsing: .unconditional, help: "The answer token: text that is one token, or #ID.") var answer: String
    @Option(parsing: .unconditional, help: "The wrong token: one token, or #ID.") var wrong: String
    @Flag(help: "Ablate each attention head (the default).") var heads = false
    @Option(parsing: .unconditional, help: "Ablate each MLP neuron of this layer instead of the heads.") var neurons: Int?
    @Flag(help: "Mean-ablate (mean over the reference positions) instead of zero-ablating.") var mean = false
    @Option(parsing: .unconditional, help: "Prompt whose positions the --mean values average over (default: the prompt itself).")
    var reference: String?
    @Option(parsing: .unconditional, help: "Neurons to list with --neurons, strongest change in logit difference first (default 20; JSON lists all).") var top: Int?
    @Flag(help: "Print JSON (every head or neuron).") var json = false

    func validate() throws {
        if heads && neurons != nil { throw ValidationError("choose --heads or --neurons LAYER, not both") }
        if reference != nil && !mean { throw ValidationError("--reference only applies with --mean") }
        if let top {
            guard top >= 1 else { throw InputError.mustBePositive(option: "--top", value: top) }
            guard neurons != nil else { throw CLIError("--top lists neurons: it applies with --neurons LAYER (every head is listed)") }
        }
    }

    struct Effect: Encodable {
        var layer: Int
        var head: Int?
        var neuron: Int?
        var logit_diff: Float
        var logit_diff_change: Float
        var loss: Float?
        var loss_change: Float?
    }
    struct Report: Encodable {
        var model: String
        var prompt: String
        var token_ids: [Int]
        var answer: PatchReport.Token
        var wrong: PatchReport.Token
        var unit: String
        var mode: String
        var reference: String?
        var baseline_logit_diff: Float
        var baseline_loss: Float?
        var effects: [Effect]
    }

    func run() throws {
        let model = try modelOptions.open(for: "ablate", needs: [.lmHead])
        let prompt = try promptOptions.text(for: model)
        let ids = try model.tokenize(prompt, bos: promptOptions.bos)
        let referenceIDs = try reference.map { text in try InputError.naming("--reference") { try model.tokenize(text, bos: promptOptions.bos) } }
        let pair = try TokenArgument.answerAndWrong(answer, wrong, model: model)
        let metric = LogitDiffMetric(answer: pair.answer, wrong: pair.wrong)
        let mode: AblationMode = mean ? .mean : .zero
        let sweep = try AblationSweep(transformer: model.transformer, tokens: ids, metric: metric, reference: referenceIDs)
        let result = try PatchingProgress(label: "ablating").run { progress in
            if let layer = neurons { return try sweep.neurons(layer: layer, mode, progress: progress) }
            return try sweep.heads(mode, progress: progress)
        }
        let report = Report(
            model: model.folder.path, prompt: prompt, token_ids: ids,
            answer: .init(token_id: metric.answer, token: TokenArgument.display(metric.answer, model: model)),
            wrong: .init(token_id: metric.wrong, token: TokenArgument.display(metric.wrong, model: model)),
            unit: result.unit.rawValue, mode: mode.rawValue, reference: reference,
            baseline_logit_diff: result.baselineLogitDiff, baseline_loss: result.baselineLoss,
            effects: result.effects.map { Self.effect($0, unit: result.unit) })
        try NonFiniteGuard.print(report, json: json, model: model, prompts: [ids] + (referenceIDs.map { [$0] } ?? [])) {
            printTable(report, result: result, architecture: model.config.architecture)
        }
    }

    private static func effect(_ e: AblationEffect, unit: AblationUnit) -> Effect {
        Effect(layer: e.layer, head: unit == .head ? e.index : nil, neuron: unit == .neuron ? e.index : nil,
               logit_diff: e.logitDiff, logit_diff_change: e.logitDiffChange, loss: e.loss, loss_change: e.lossChange)
    }

    /// What a processed z of 0 is on the raw weights: the value bias with ln1's bias folded in, as far
    /// as the architecture has either (RMSNorm has no bias; Llama's value projection has none).
    static func foldedValueBias(_ a: ArchitectureSpec) -> String {
        let lnBias = a.normalization.kind == .layerNorm
        switch (a.attention.qkvBias, lnBias) {
        case (true, true): return "b_V + ln1.b·W_V"
        case (true, false): return "b_V"
        case (false, true): return "ln1.b·W_V"
        case (false, false): return "0, no value bias to fold"
        }
    }

    private func printTable(_ report: Report, result: AblationResult, architecture: ArchitectureSpec) {
        let lossText = report.baseline_loss.map { String(format: "%.4f", $0) } ?? "n/a (one token)"
        print("prompt     \(report.token_ids.count) tokens: \(report.prompt)")
        print("metric     logit['\(report.answer.token)'] − logit['\(report.wrong.token)'] at the last position "
              + String(format: "%.4f", report.baseline_logit_diff) + "; mean next-token loss \(lossText)")
        let over = "mean over the positions of \(reference.map { "'\($0)'" } ?? "the prompt")"
        if result.unit == .neuron {
            print("ablation   each neuron of layer \(neurons ?? 0): its activation (mlp.hook_post) set to "
                  + (mean ? "its \(over)" : "0") + " at every position")
        } else {
            print("ablation   each head: " + (mean ? "its z set to its \(over)"
                : "zero (TransformerLens's processed z = 0, i.e. raw z = \(Self.foldedValueBias(architecture)))"))
        }
        let shown = result.unit == .head ? result.effects : result.strongest(top ?? 20)
        if result.unit == .neuron {
            print("showing    the \(shown.count) neurons that move the logit difference most, of \(result.effects.count)")
        }
        print("")
        print((result.unit == .head ? "layer head" : "layer neuron") + "   logit diff     Δ diff       loss     Δ loss")
        for e in shown {
            let unitColumn = result.unit == .head ? String(format: "%5d %4d", e.layer, e.index)
                                                  : String(format: "%5d %6d", e.layer, e.index)
            let loss = e.loss.map { String(format: "%9.4f", $0) } ?? "      n/a"
            let lossChange = e.lossChange.map { String(format: "%+10.4f", $0) } ?? "       n/a"
            print(unitColumn + String(format: "   %10.4f %+10.4f", e.logitDiff, e.logitDiffChange) + "  " + loss + " " + lossChange)
        }
    }
}

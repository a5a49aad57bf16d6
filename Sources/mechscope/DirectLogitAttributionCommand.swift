import ArgumentParser
import Foundation
import MechAnalysis
import MechModels

/// `mechscope dla`: which components, heads or neurons write a token's logit (or a logit
/// difference) directly.
struct DirectLogitAttributionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dla",
        abstract: "Direct logit attribution of a token (or answer − wrong) to components, heads or neurons.",
        discussion: """
        Each entry's write, centred (LayerNorm models) and divided by the cached final LayerNorm or RMSNorm \
        scale of the position, dotted \
        with the unembedding direction W_U[:, answer] (− W_U[:, wrong]), as TransformerLens 4 in \
        compatibility mode (processed weights). Entries are listed by absolute attribution. \
        TOKEN is a token's text (must be a single token, e.g. ' the') or #ID.
        """)

    enum Unit: String, ExpressibleByArgument, CaseIterable {
        case component, head, neuron
    }

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @Option(parsing: .unconditional, help: "The token whose logit is attributed (text or #ID).") var answer: String
    @Option(parsing: .unconditional, help: "A token to subtract: attribute the logit difference answer − wrong.") var wrong: String?
    @Option(parsing: .unconditional, help: "Position to attribute at (default: the last; negative counts from the end).")
    var position: Int?
    @Option(parsing: .unconditional, help: "Granularity: component (embeddings, attn_out, mlp_out), head (each head, attention biases, remainder) or neuron.")
    var per: Unit = .component
    @Option(parsing: .unconditional, help: "How many entries to list, largest |attribution| first.") var top = 20
    @Flag(help: "Print JSON.") var json = false

    struct Entry: Encodable {
        var label: String
        var attribution: Float
        var layer: Int?
        var head: Int?
        var neuron: Int?
        /// A neuron's activation (hook_post) at the position.
        var activation: Float?
    }
    struct Report: Encodable {
        var prompt: String
        var prepend_bos: Bool
        var token_ids: [Int]
        var tokens: [String]
        var position: Int
        var position_token: String
        var answer: TokenArgument.Token
        var wrong: TokenArgument.Token?
        var per: String
        var layer_norm: String
        /// The processed model's logit (difference): raw logit minus the vocabulary mean, or raw difference.
        var logit: Float
        /// normalized · direction: what a complete decomposition's attributions add up to.
        var residual_logit: Float
        /// b_U'[answer] (− b_U'[wrong]); logit = residual_logit + unembedding_bias.
        var unembedding_bias: Float
        var sum_of_entries: Float
        var total_entries: Int
        var entries: [Entry]
    }

    func validate() throws {
        guard top > 0 else { throw InputError.mustBePositive(option: "--top", value: top) }
    }

    func run() throws {
        let model = try modelOptions.open(for: "dla", needs: [.lmHead])
        let prompt = try promptOptions.text(for: model)
        let ids = try model.tokenize(prompt, bos: promptOptions.bos)
        let p = try TokenArgument.position(position, count: ids.count)
        let answerID: Int, wrongID: Int?
        if let wrong {
            (answerID, wrongID) = try TokenArgument.answerAndWrong(answer, wrong, model: model)
        } else {
            (answerID, wrongID) = (try TokenArgument.resolve(answer, option: "--answer", model: model), nil)
        }
        let c = model.config
        if per == .neuron && c.attnOnly { throw CLIError("--per neuron: this model is attention-only, it has no MLP neurons") }
        let transformer = model.transformer
        let run = try transformer.run(ids, caching: .only(ResidualDecomposition.requiredHooks(c)))
        let weights = AnalysisSession(model: model).processedWeights()
        let direction = try DirectLogitAttribution.direction(weights, answer: answerID, wrong: wrongID)
        let result: DirectLogitAttributionResult
        switch per {
        case .component: result = try DirectLogitAttribution.components(transformer, run, positions: [p], direction: direction)
        case .head: result = try DirectLogitAttribution.heads(transformer, weights, run, positions: [p], direction: direction)
        case .neuron: result = try DirectLogitAttribution.neurons(transformer, weights, run, positions: [p], direction: direction)
        }
        let activations = per == .neuron ? try NeuronActivations.atPosition(p, transformer, run) : nil
        let entries = result.ranked(count: min(top, result.components.count)).map { ranked -> Entry in
            var entry = Entry(label: result.components[ranked.index].label, attribution: ranked.value,
                              layer: result.components[ranked.index].layer)
            switch result.components[ranked.index] {
            case .head(_, let h): entry.head = h
            case .neuron(let l, let n):
                entry.neuron = n
                entry.activation = activations?.pointer[l * c.dMLP + n]
            default: break
            }
            return entry
        }
        let logits = run.logits.row(p).scalars
        let logit = wrongID.map { logits[answerID] - logits[$0] }
            ?? logits[answerID] - logits.reduce(0, +) / Float(logits.count)
        let tokens = ids.map { model.tokenizer?.displayText(of: $0) ?? "#\($0)" }
        let report = Report(
            prompt: prompt, prepend_bos: model.bosDecision(promptOptions.bos).addsBOS, token_ids: ids, tokens: tokens, position: p,
            position_token: tokens[p], answer: .init(answerID, model), wrong: wrongID.map { .init($0, model) },
            per: per.rawValue,
            layer_norm: c.hasLayerNorm ? "cached final \(c.normalization.kind.rawValue) scale (apply_ln_to_stack recompute_ln=False)"
                : "none (the model has no final normalization)",
            logit: logit,
            residual_logit: try DirectLogitAttribution.residualLogit(transformer, run, positions: [p], direction: direction)[0],
            unembedding_bias: direction.bias, sum_of_entries: result.total(), total_entries: result.components.count,
            entries: entries)
        try NonFiniteGuard.print(report, json: json, model: model, prompts: [ids]) {
            printText(report, entries: entries, result: result, direction: direction, wrongID: wrongID,
                      finalNorm: c.hasLayerNorm ? c.normalization.kind.rawValue : nil)
        }
    }

    private func printText(_ report: Report, entries: [Entry], result: DirectLogitAttributionResult,
                           direction: LogitDirection, wrongID: Int?, finalNorm: String?) {
        let p = report.position, tokens = report.tokens, logit = report.logit
        let what = "'\(report.answer.token)'" + (report.wrong.map { " − '\($0.token)'" } ?? "")
        print("direct logit attribution to \(what) at position \(p) ('\(tokens[p])'), per \(per.rawValue); "
              + (finalNorm.map { "cached final \($0) scale" } ?? "no final normalization (the model has none)"))
        print(String(format: "%@ %.4f = residual stream %.4f + unembedding bias %.4f", wrongID == nil ? "logit (centred)" : "logit difference",
                     logit, report.residual_logit, direction.bias))
        let scale = entries.map { abs($0.attribution) }.max() ?? 1
        for (i, e) in entries.enumerated() {
            let bar = Bar.of(abs(e.attribution), scale: scale, width: 30, cell: e.attribution >= 0 ? "█" : "░")
            let activation = e.activation.map { String(format: "  act %7.3f", $0) } ?? ""
            print(String(format: "%4d. ", i + 1) + e.label.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + String(format: " %+9.4f", e.attribution) + activation + "  " + bar)
        }
        if entries.count < result.components.count {
            print("(\(result.components.count - entries.count) more; --top N to list more)")
        }
    }
}

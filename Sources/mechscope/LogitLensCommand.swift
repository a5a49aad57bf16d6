import ArgumentParser
import Foundation
import MechAnalysis
import MechModels

/// `mechscope lens`: what the model would predict if it stopped before each layer.
struct LogitLensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lens",
        abstract: "Logit lens: the top next tokens read off the residual stream before each layer.",
        discussion: """
        Each layer's resid_pre (and the final resid_post) goes through the final LayerNorm, recomputed \
        for that state, and the unembedding, as TransformerLens 4's logit_lens in compatibility mode. \
        TOKEN is a token's text (must be a single token, e.g. ' the') or #ID.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @Option(parsing: .unconditional, help: "Position to read (default: the last; negative counts from the end).")
    var position: Int?
    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Tokens to show per layer.") var topK = 5
    @Option(parsing: .unconditional, help: "A token whose rank and probability to follow through the layers (text or #ID).") var target: String?
    @Flag(help: "Print JSON.") var json = false

    struct Candidate: Encodable {
        var token_id: Int
        var token: String
        var prob: Float
        var log_prob: Float
        var logit: Float
        /// Tokens scoring strictly higher: 0 = the top token (TransformerLens's target_ranks).
        var rank: Int
    }
    struct Layer: Encodable {
        var label: String
        /// The layer whose input this is (n_layers for final_post).
        var layer: Int
        var entropy: Float
        var top_k: [Candidate]
        var target: Candidate?
    }
    struct Report: Encodable {
        var prompt: String
        var prepend_bos: Bool
        var token_ids: [Int]
        var tokens: [String]
        var position: Int
        var position_token: String
        var layer_norm: String
        var target: TokenArgument.Token?
        var layers: [Layer]
    }

    func validate() throws {
        guard topK > 0 else { throw InputError.mustBePositive(option: "--top-k", value: topK) }
    }

    func run() throws {
        let model = try modelOptions.open(for: "lens", needs: [.lmHead])
        let prompt = try promptOptions.text(for: model)
        let ids = try model.tokenize(prompt, bos: promptOptions.bos)
        let p = try TokenArgument.position(position, count: ids.count)
        let targetID = try target.map { try TokenArgument.resolve($0, option: "--target", model: model) }
        let c = model.config
        let run = try model.transformer.run(ids, caching: .only(ResidualDecomposition.requiredHooks(c)), computeLogits: false)
        let weights = AnalysisSession(model: model).processedWeights()
        let lens = try LogitLens.read(model.transformer, weights, run, positions: [p],
                                      topK: min(topK, c.vocabSize), targets: targetID.map { [$0] } ?? [])
        func candidate(_ r: TokenReading) -> Candidate {
            Candidate(token_id: r.tokenID, token: model.tokenizer?.displayText(of: r.tokenID) ?? "#\(r.tokenID)",
                      prob: r.probability, log_prob: r.logProbability, logit: r.logit, rank: r.rank)
        }
        let layers = lens.entries.enumerated().map { e, entry -> Layer in
            let reading = lens.reading(entry: e, positionIndex: 0)
            return Layer(label: entry.label, layer: entry.layer ?? c.nLayers, entropy: reading.entropy,
                         top_k: reading.top.map(candidate), target: reading.targets.first.map(candidate))
        }
        let tokens = ids.map { model.tokenizer?.displayText(of: $0) ?? "#\($0)" }
        let report = Report(prompt: prompt, prepend_bos: model.bosDecision(promptOptions.bos).addsBOS, token_ids: ids, tokens: tokens,
                            position: p, position_token: tokens[p],
                            layer_norm: c.hasLayerNorm ? "final \(c.normalization.kind.rawValue) recomputed per layer (apply_ln_to_stack recompute_ln=True)"
                                : "none (the model has no final normalization)",
                            target: targetID.map { TokenArgument.Token($0, model) }, layers: layers)
        try NonFiniteGuard.print(report, json: json, model: model, prompts: [ids]) { printText(report, ids: ids, c: c) }
    }

    private func printText(_ report: Report, ids: [Int], c: TransformerConfig) {
        let p = report.position, tokens = report.tokens, layers = report.layers
        print("logit lens at position \(p) ('\(tokens[p])') of \(Plural.count(ids.count, "token")); "
              + (c.hasLayerNorm ? "final \(c.normalization.kind.rawValue) recomputed per layer" : "no final normalization (the model has none)")
              + (report.target == nil ? "" : "; target ranks count from 1 (1 = the top token, as in 'run'; JSON 'rank' counts from 0)"))
        if let t = report.target { print("target '\(t.token)' (#\(t.token_id))") }
        for layer in layers {
            let label = layer.label.padding(toLength: 11, withPad: " ", startingAt: 0)
            let tops = layer.top_k.map { "'\($0.token)' " + String(format: "%.1f%%", $0.prob * 100) }.joined(separator: "  ")
            let target = layer.target.map { String(format: "   target rank %d, %.3g%%", $0.rank + 1, $0.prob * 100) } ?? ""
            print(label + tops + target)
        }
    }
}

import ArgumentParser
import Foundation
import MechModels
import MechTensor

/// `mechscope run`: tokens as the model sees them and its next-token prediction; for an encoder its
/// token outputs and, for a sentence-transformers folder, the sentence embedding (EncoderRunReport).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Tokenize a prompt, run the model, and show the next-token top-k (an encoder: its outputs and sentence embedding).")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "How many next-token candidates to show.") var topK = 10
    @Flag(help: "Print JSON (token_ids, tokens as raw text, display_tokens as printed, top_k).") var json = false
    @Option(name: .customLong("prompt-ids"), parsing: .unconditional,
            help: "Token ids to run instead of a prompt, e.g. \"1 15043 29892\" (no tokenizer needed; BOS put first when the BOS policy adds one and the ids do not start with it).")
    var promptIDs: String?

    /// `token` is the raw text (Hugging Face's decode of the one id); `display_token` the printed form.
    struct Candidate: Encodable {
        var token_id: Int; var token: String; var display_token: String; var prob: Float; var logit: Float
    }
    struct Report: Encodable {
        var prompt: String
        /// Whether the BOS token came first, and why (`bos`: "BOS added by the tokenizer's post-processor").
        var prepend_bos: Bool
        var bos: String
        var token_ids: [Int]
        /// Each token's raw text: decode([id]) (a byte that is only part of a UTF-8 character reads U+FFFD).
        var tokens: [String]
        /// Each token as the text output shows it: newlines, tabs and control characters escaped
        /// (`\n`), partial UTF-8 bytes as `\xE2`.
        var display_tokens: [String]
        var top_k: [Candidate]
    }

    func validate() throws {
        guard topK > 0 else { throw InputError.mustBePositive(option: "--top-k", value: topK) }
        if promptIDs != nil && promptOptions.prompt != nil { throw ValidationError("give --prompt or --prompt-ids, not both") }
        _ = try parsedPromptIDs()
    }

    func run() throws {
        let opened = try modelOptions.openAny()
        guard case .transformer(let model) = opened else {
            if case .toySuperposition(let toy) = opened {
                guard promptIDs == nil else {
                    throw CLIError("\(toy.folder.path) is a toy superposition model: it reads a feature vector, not token ids "
                                   + "(give --prompt \"1 0 0 …\" with \(toy.nFeatures) numbers)")
                }
                try ToyModelReport.run(toy, input: try promptOptions.text(forFolder: toy.folder), json: json)
            }
            return
        }
        let prompt: String, ids: [Int]
        if let given = try parsedPromptIDs() {
            ids = try model.withBOS(given, bos: promptOptions.bos)
            prompt = model.tokenizer.map { $0.decode(ids) } ?? ""
        } else {
            prompt = try promptOptions.text(for: model)
            ids = try model.tokenize(prompt, bos: promptOptions.bos)
        }
        if !model.config.architecture.lmHead {
            let report = try EncoderRunReport(model: model, prompt: prompt, ids: ids)
            try NonFiniteGuard.print(report, json: json, model: model, prompts: [ids]) { report.printText() }
            return
        }
        let bos = model.bosDecision(promptOptions.bos)
        let result = try model.transformer.run(ids, caching: .none, logits: .last)
        let last = result.lastLogits!
        let probs = Softmax.probabilities(last)
        // Ranked by logit: one NaN logit makes every probability NaN (the normaliser is), never the order.
        let top = TopK.indices(of: last, k: min(topK, model.config.vocabSize))
        // Without a tokenizer (--prompt-ids on a folder whose tokenizer is missing), tokens print as #id.
        func raw(_ id: Int) -> String { model.tokenizer?.decode([id]) ?? "#\(id)" }
        func shown(_ id: Int) -> String { model.tokenizer?.displayText(of: id) ?? "#\(id)" }
        let report = Report(
            prompt: prompt, prepend_bos: bos.addsBOS, bos: bos.description, token_ids: ids,
            tokens: ids.map(raw), display_tokens: ids.map(shown),
            top_k: top.map { Candidate(token_id: $0, token: raw($0), display_token: shown($0),
                                       prob: probs[$0], logit: last[$0]) })
        try NonFiniteGuard.print(report, json: json, model: model, prompts: [ids]) { printText(report, ids: ids) }
    }

    private func printText(_ report: Report, ids: [Int]) {
        print("\(ids.count) tokens: " + report.display_tokens.map { "[\($0)]" }.joined())
        print("ids: \(ids.map(String.init).joined(separator: " "))")
        print(report.bos)
        print("next token (after '\(report.display_tokens.last!)'):")
        for (rank, c) in report.top_k.enumerated() {
            let bar = Bar.of(c.prob, scale: 1, width: 30)
            let quoted = "'\(c.display_token)'"
            let padded = quoted + String(repeating: " ", count: max(0, 20 - quoted.count))
            print(String(format: "%3d. ", rank + 1) + padded
                  + String(format: " %7.2f%%  logit %8.3f  ", c.prob * 100, c.logit) + bar)
        }
    }

    /// --prompt-ids as integers (separated by spaces or commas), or nil when not given.
    private func parsedPromptIDs() throws -> [Int]? {
        guard let promptIDs else { return nil }
        let parts = promptIDs.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard !parts.isEmpty else { throw ValidationError("--prompt-ids: give at least one token id") }
        return try parts.map { part in
            guard let id = Int(part) else { throw ValidationError("--prompt-ids: '\(part)' is not a token id") }
            return id
        }
    }
}

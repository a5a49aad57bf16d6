import ArgumentParser
import Foundation
import MechAnalysis
import MechModels

extension PatchingDirection: ExpressibleByArgument {}

/// `mechscope patch`: TransformerLens's activation-patching grids between a clean and a corrupted prompt.
struct PatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patch",
        abstract: "Activation patching: which activations carry the difference between a clean and a corrupted prompt.",
        discussion: """
        Each cell is one patched run, as in TransformerLens's transformer_lens.patching: \
        resid_pre, attn_out and mlp_out are patched at one (layer, position); heads patches one head's \
        hook_z at every position (get_act_patch_attn_head_out_all_pos). With --direction denoising \
        (default, TransformerLens's convention) the CORRUPTED prompt runs and CLEAN activations are \
        patched in; with noising the CLEAN prompt runs and CORRUPTED activations are patched in. Every \
        cell shows (patched − corrupted) / (clean − corrupted) of logit[answer] − logit[wrong] at the \
        last position: 1 = the clean difference, 0 = the corrupted one. The prompts must have the same \
        number of tokens. Cells before the first differing token are known without a run.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(parsing: .unconditional, help: "The clean prompt (the model gets the answer right).") var clean: String?
    @Option(parsing: .unconditional, help: "The corrupted prompt (same token count).") var corrupted: String?
    @Option(name: .customLong("clean-ids"), parsing: .unconditional, help: "The clean prompt as comma-separated token ids, instead of --clean.")
    var cleanIDs: String?
    @Option(name: .customLong("corrupted-ids"), parsing: .unconditional, help: "The corrupted prompt as token ids, instead of --corrupted.")
    var corruptedIDs: String?
    @Option(parsing: .unconditional, help: "The answer token: text that is one token, or #ID.") var answer: String
    @Option(parsing: .unconditional, help: "The wrong token the answer is compared with: one token, or #ID.") var wrong: String
    @Option(parsing: .unconditional, help: "What to patch: resid_pre, attn_out, mlp_out, heads or all.") var what: String = "all"
    @Option(parsing: .unconditional, help: "denoising (run corrupted, patch in clean) or noising (run clean, patch in corrupted).")
    var direction: PatchingDirection = .denoising
    @OptionGroup var bosOptions: BOSOptions
    @Flag(help: "Print JSON (grids as rows per layer).") var json = false

    func validate() throws {
        if clean != nil && cleanIDs != nil { throw InputError.conflictingOptions("--clean", "--clean-ids") }
        if corrupted != nil && corruptedIDs != nil { throw InputError.conflictingOptions("--corrupted", "--corrupted-ids") }
        guard (clean == nil) != (cleanIDs == nil) else { throw ValidationError("give the clean prompt as --clean TEXT or --clean-ids IDS") }
        guard (corrupted == nil) != (corruptedIDs == nil) else {
            throw ValidationError("give the corrupted prompt as --corrupted TEXT or --corrupted-ids IDS")
        }
        _ = try targets()
    }

    private func targets() throws -> [PatchingTarget] {
        if what == "all" { return PatchingTarget.allCases }
        guard let one = PatchingTarget(rawValue: what) else {
            throw ValidationError("--what \(what): choose resid_pre, attn_out, mlp_out, heads or all")
        }
        return [one]
    }

    func run() throws {
        let model = try modelOptions.open(for: "patch", needs: [.lmHead, .causalAttention])
        let cleanTokens = try tokens(text: clean, ids: cleanIDs, prompt: "--clean", model: model)
        let corruptedTokens = try tokens(text: corrupted, ids: corruptedIDs, prompt: "--corrupted", model: model)
        let pair = try TokenArgument.answerAndWrong(answer, wrong, model: model)
        let metric = LogitDiffMetric(answer: pair.answer, wrong: pair.wrong)
        var targets = try targets()
        if model.config.attnOnly && what == "all" { targets.removeAll { $0 == .mlpOut } }
        let sweep = try PatchingSweep(transformer: model.transformer, clean: cleanTokens, corrupted: corruptedTokens,
                                      metric: metric, direction: direction)
        let grids = try PatchingProgress(label: "patching").run { try sweep.run(targets, progress: $0) }
        let report = PatchReport(model: model, sweep: sweep, grids: grids, cleanText: clean, corruptedText: corrupted)
        try NonFiniteGuard.print(report, json: json, model: model, prompts: [cleanTokens, corruptedTokens]) {
            report.printTable(sweep: sweep, grids: grids, model: model)
        }
    }

    /// The tokens of one prompt, given as text (`prompt`, e.g. --clean) or as ids (`prompt`-ids).
    private func tokens(text: String?, ids: String?, prompt: String, model: LoadedModel) throws -> [Int] {
        if let text {
            return try InputError.naming(prompt) { try model.tokenize(text, bos: bosOptions.choice) }
        }
        let option = prompt + "-ids", list = ids ?? ""
        var parsed: [Int] = []
        for (field, piece) in list.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty && !list.trimmingCharacters(in: .whitespaces).isEmpty {
                throw InputError.emptyListField(option: option, value: list, field: field + 1)
            }
            if trimmed.isEmpty { continue }
            guard let id = Int(trimmed) else { throw CLIError("\(option): '\(trimmed)' is not a token id") }
            guard id >= 0 && id < model.config.vocabSize else {
                throw CLIError("\(option): token id \(id) is outside the vocabulary of \(model.config.vocabSize)")
            }
            parsed.append(id)
        }
        guard !parsed.isEmpty else { throw CLIError("\(option): no token ids given") }
        return try InputError.naming(option) { try model.withBOS(parsed, bos: bosOptions.choice) }
    }
}

import ArgumentParser
import Foundation
import MechAnalysis
import MechModels

/// `mechscope heads`: the head atlas (pattern scores on the prompt and on a repeated random
/// sequence, attention entropy, OV copying), or with --composition a composition-score matrix.
struct HeadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heads",
        abstract: "Score every attention head: previous-token, duplicate, induction, entropy, OV copying.",
        discussion: """
        Scores follow TransformerLens: detect_head ("mul" measure) on the prompt's tokens; the demo \
        induction score (attention from i to i-n+1) on n random ordinary tokens repeated twice \
        (n = min(50, n_ctx/2), SplitMix64 seeded by --seed, no BOS); mean attention entropy in nats; \
        OV copying = sum(eig)/sum(|eig|) of W_E·W_V·W_O·W_U on TransformerLens's processed weights. \
        --composition q|k|v prints composition scores (earlier head rows, later head columns) instead. \
        The forward pass is raw (as Hugging Face); every number is the one TransformerLens 4 gives in \
        compatibility mode.
        """)

    enum SortKey: String, ExpressibleByArgument, CaseIterable {
        case induction, repeated, prev, dup, copying, entropy
        var tableKey: HeadScoreTable.SortKey { HeadScoreTable.SortKey(rawValue: rawValue)! }
    }

    enum CompositionOption: String, ExpressibleByArgument, CaseIterable {
        case q, k, v
        var kind: CompositionKind { CompositionKind(rawValue: rawValue.uppercased())! }
    }

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @Option(name: .customLong("sort"), parsing: .unconditional, help: "Order of the table, largest first: induction (on the prompt), repeated (induction on the repeated random sequence), prev, dup, copying, entropy (default: induction; prev on an encoder).")
    var sortOption: SortKey?
    @Option(parsing: .unconditional, help: "Seed of the repeated random sequence.") var seed: UInt64 = RepeatedTokenSequence.defaultSeed
    @Flag(name: .customLong("exclude-bos"), help: "Ignore attention to position 0 (detect_head's exclude_bos).")
    var excludeBOS = false
    @Flag(name: .customLong("exclude-current-token"), help: "Ignore attention to the query itself (detect_head's exclude_current_token).")
    var excludeCurrentToken = false
    @Option(parsing: .unconditional, help: "Print the Q-, K- or V-composition score matrix instead of the table.") var composition: CompositionOption?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Print how long each step took (to standard error).") var timings = false

    func validate() throws {
        if composition != nil && sortOption != nil { throw InputError.conflictingOptions("--sort", "--composition") }
    }

    func run() throws {
        let opened = try modelOptions.open()
        try NonFiniteWeightLocator.naming("the OV copying scores", model: opened) { try report(opened) }
    }

    private func report(_ opened: LoadedModel) throws {
        var clock = StepClock(enabled: timings)
        if opened.config.architecture.isEncoder {
            try EncoderHeadsReport.run(model: opened, command: self)
            return
        }
        try ModelNeed.check([.causalAttention, .lmHead], opened, command: "heads")
        let sort = sortOption ?? .induction
        let session = AnalysisSession(model: opened)
        let model = session.model
        clock.lap("open model")
        _ = session.processedWeights()
        clock.lap("process weights")
        if let composition {
            let scores = try session.compositionScores(composition.kind)
            clock.lap("\(composition.kind.rawValue)-composition scores")
            try CompositionMatrixReport(scores: scores, model: model).print(json: json)
            // Only when a printed score is nan (a NaN in W_K leaves V-composition, which does not read it, finite).
            let nonFinite = scores.values.contains(where: \.isNaN) ? session.processedWeights().headsWithNonFiniteWeights() : []
            guard nonFinite.isEmpty else {
                StandardOutput.finishOrFail()
                throw CircuitNonFiniteError.compositionHeads(heads: nonFinite, folder: model.folder.path)
            }
            return
        }
        let prompt = try promptOptions.text(for: model)
        let ids = try model.tokenize(prompt, bos: promptOptions.bos)
        let options = HeadDetectionOptions(excludeBOS: excludeBOS, excludeCurrentToken: excludeCurrentToken)
        let promptScores = try HeadPatternScores.compute(model.transformer, tokens: ids, options: options)
        clock.lap("prompt forward + scores")
        var sequence: RepeatedTokenSequence?, repeated: RepeatedSequenceScores?, unavailable: String?
        do {
            sequence = try RepeatedTokenSequence(for: model, seed: seed)
        } catch let error as HeadAnalysisError {
            guard case .contextTooShortForRepeatedSequence = error else { throw error }
            unavailable = "\(error)"
        }
        if let sequence {
            repeated = try RepeatedSequenceScores.compute(model.transformer, sequence: sequence, options: options)
        }
        clock.lap("repeated sequence forward + scores")
        _ = session.processedWeights().unembedTimesEmbed()
        clock.lap("W_U'·W_E' (once per model)")
        let copying = try session.ovCopyingScores()
        clock.lap("OV copying scores")
        let table = HeadScoreTable(prompt: promptScores, repeated: repeated, copying: copying)
        let rows = table.sorted(by: sort.tableKey)
        clock.finish()

        let tokens = ids.map { model.tokenizer?.displayText(of: $0) ?? "#\($0)" }
        let unscored = unscoredReason(tokens: ids.count)
        let report = Report(
            model: model.folder.path, prompt: prompt, prepend_bos: model.bosDecision(promptOptions.bos).addsBOS, token_ids: ids,
            tokens: tokens, exclude_bos: excludeBOS, exclude_current_token: excludeCurrentToken, sort: sort.rawValue,
            repeated_sequence: JSONNullable(sequence.map { .init(seed: seed, half_length: $0.halfLength, token_ids: $0.tokens) }),
            repeated_sequence_unavailable: JSONNullable(unavailable), prompt_scores_unavailable: JSONNullable(unscored),
            heads: rows.map(Row.init))
        // A NaN from a NaN weight is located (the hook where it first appears). Two NaNs are the table's
        // own and said in one line: the prompt scores' 0/0 when the exclusions leave nothing (the note),
        // and ind-rand when the context is too short for the repeated sequence (n/a).
        let explained = rows.allSatisfy { r in
            ([r.previousToken, r.duplicateToken, r.induction].allSatisfy { !$0.isNaN } || unscored != nil)
                && (!r.repeatedInduction.isNaN || repeated == nil) && !r.entropy.isNaN && !r.ovCopying.isNaN
        }
        try NonFiniteGuard.print(report, json: json, model: model, prompts: [ids] + (sequence.map { [$0.tokens] } ?? []),
                                 explained: explained) {
            printTable(rows, ids: ids, sequence: sequence, unavailable: unavailable, repeated: repeated != nil, unscored: unscored,
                       sort: sort, model: model)
        }
    }

    /// Why the prompt's pattern scores are nan when the exclusions leave no (query, key) pair.
    private func unscoredReason(tokens n: Int) -> String? {
        let options = HeadDetectionOptions(excludeBOS: excludeBOS, excludeCurrentToken: excludeCurrentToken)
        guard HeadDetection.scoredPairs(length: n, options: options) == 0 else { return nil }
        let flags = [excludeBOS ? "--exclude-bos" : nil, excludeCurrentToken ? "--exclude-current-token" : nil].compactMap { $0 }
        return "prev-tok, dup-tok and induct are nan: no positions are left to average on the \(n)-token prompt "
            + "after \(flags.joined(separator: " and "))"
    }

    private func printTable(_ rows: [HeadScoreRow], ids: [Int], sequence: RepeatedTokenSequence?, unavailable: String?,
                            repeated: Bool, unscored: String?, sort: SortKey, model: LoadedModel) {
        let c = model.config
        let sequenceText = sequence.map { "repeated random sequence 2×\($0.halfLength) tokens (seed \(seed))" }
            ?? "ind-rand n/a: \(unavailable ?? "no repeated sequence")"
        print("\(model.name): \(Plural.count(c.nLayers, "layer")) × \(Plural.count(c.nHeads, "head")); "
              + "prompt \(Plural.count(ids.count, "token")); \(sequenceText); sorted by \(sort.rawValue)")
        print("head      prev-tok   dup-tok   induct  ind-rand   entropy   ov-copy")
        for r in rows {
            let values = [r.previousToken, r.duplicateToken, r.induction, r.repeatedInduction, r.entropy, r.ovCopying]
            print(r.label.padding(toLength: 8, withPad: " ", startingAt: 0) + values.enumerated().map { column, value in
                if column == 3 && !repeated { return "       n/a" }
                return value.isNaN ? "       nan" : String(format: "%10.4f", value)
            }.joined())
        }
        if let unscored { print(unscored) }
    }

    struct Row: Encodable {
        var label: String, layer: Int, head: Int
        /// Scores that are not finite (NaN: no attention to score, or no repeated sequence) print as null.
        var previous_token: Double, duplicate_token: Double, induction: Double, repeated_induction: Double
        var entropy: Double, ov_copying: Double

        init(_ r: HeadScoreRow) {
            label = r.label; layer = r.layer; head = r.head
            previous_token = r.previousToken; duplicate_token = r.duplicateToken
            induction = r.induction; repeated_induction = r.repeatedInduction
            entropy = r.entropy; ov_copying = r.ovCopying
        }
    }

    struct Sequence: Encodable { var seed: UInt64; var half_length: Int; var token_ids: [Int] }

    struct Report: Encodable {
        var model: String, prompt: String, prepend_bos: Bool, token_ids: [Int], tokens: [String]
        var exclude_bos: Bool, exclude_current_token: Bool, sort: String
        var repeated_sequence: JSONNullable<Sequence>
        var repeated_sequence_unavailable: JSONNullable<String>
        /// Why prev/dup/induction are null on the prompt (the exclusions leave nothing to score), else null.
        var prompt_scores_unavailable: JSONNullable<String>
        var heads: [Row]
    }
}

/// Wall-clock time of each step, printed to standard error when enabled.
struct StepClock {
    let enabled: Bool
    private var last = DispatchTime.now().uptimeNanoseconds
    private var steps: [(String, Double)] = []

    init(enabled: Bool) { self.enabled = enabled }

    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        steps.append((name, Double(now - last) / 1e6))
        last = now
        if enabled { report(name, steps.last!.1) }
    }

    /// Prints the total of the steps after the model was opened.
    func finish() {
        guard enabled else { return }
        let analysis = steps.dropFirst().reduce(0) { $0 + $1.1 }
        report("total after opening", analysis)
    }

    private func report(_ name: String, _ milliseconds: Double) {
        let line = name.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%9.1f ms\n", milliseconds)
        FileHandle.standardError.write(Data(line.utf8))
    }
}

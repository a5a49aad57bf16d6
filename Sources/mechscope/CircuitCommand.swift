import ArgumentParser
import Foundation
import MechAnalysis
import MechModels

/// `mechscope circuit`: one head's QK and OV circuits from weights alone.
struct CircuitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "circuit",
        abstract: "Show one head's OV and QK circuits, copying score and composition with earlier heads.",
        discussion: """
        Weights are TransformerLens's processed weights. OV: ((W_E[t]·W_V)·W_O)·W_U, the logit effect of \
        attending to token t. QK: W_E[t]·W_Q·W_Kᵀ·W_Eᵀ, the key tokens query t prefers (no biases, no \
        1/sqrt(d_head)). Positional QK: the arg-max key offset of W_pos·W_Q·W_Kᵀ·W_posᵀ. Without --token or \
        --token-id the prompt's last token is used.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @Option(parsing: .unconditional, help: "The head as LAYER.HEAD (e.g. 1.3) or L1H3.") var head: String
    @Option(parsing: .unconditional, help: "A token: its text (must be exactly one token, e.g. ' the') or #ID.") var token: String?
    @Option(name: .customLong("token-id"), parsing: .unconditional, help: "A token id.") var tokenID: Int?
    @Option(parsing: .unconditional, help: "How many entries each list shows.") var top = 10
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard top > 0 else { throw InputError.mustBePositive(option: "--top", value: top) }
        guard token == nil || tokenID == nil else { throw ValidationError("give --token or --token-id, not both") }
        _ = try HeadSpec(head)
    }

    func run() throws {
        let opened = try modelOptions.open(for: "circuit", needs: [.lmHead])
        try NonFiniteWeightLocator.naming("the circuit", model: opened) { try report(opened) }
    }

    private func report(_ opened: LoadedModel) throws {
        let session = AnalysisSession(model: opened)
        let model = session.model
        let spec = try HeadSpec(head)
        let weights = session.processedWeights()
        let ov = try OVCircuit(weights, layer: spec.layer, head: spec.head)
        let qk = try QKCircuit(weights, layer: spec.layer, head: spec.head)
        let head = ov.weights
        let t = try chosenToken(model)
        // A circuit whose matrices hold NaN or ±∞ is left out (and named after the report); the other is printed.
        let ovFinite = head.ovIsFinite, qkFinite = head.qkIsFinite
        let promotions = ovFinite ? try ov.promotions(ofToken: t, top: top) : nil
        let keys = qkFinite ? try qk.preferredKeys(forQueryToken: t, top: top) : nil
        let positional = qkFinite ? try? qk.positionalPreference() : nil
        let eigenvalues = ovFinite ? try OVCopyingScores.eigenvalues(weights, layer: spec.layer, head: spec.head) : nil
        var composition: [String: JSONNullable<[Earlier]>] = [:]
        let kinds = CompositionKind.allCases.filter { $0 == .value ? ovFinite : qkFinite }
        let earlier = try CompositionScores.earlierHeads(composingInto: spec.layer, head: spec.head, kinds: kinds, weights: weights)
        for kind in CompositionKind.allCases { composition[kind.rawValue] = JSONNullable(nil) }
        for (kind, list) in zip(kinds, earlier) {
            composition[kind.rawValue] = JSONNullable(list.prefix(top)
                .map { Earlier(label: "L\($0.layer)H\($0.head)", layer: $0.layer, head: $0.head, score: $0.score) })
        }
        func text(_ id: Int) -> String { model.tokenizer?.displayText(of: id) ?? "#\(id)" }
        func entries(_ list: [CircuitTokenScore]) -> [Entry] { list.map { Entry(token_id: $0.token, token: text($0.token), score: $0.score) } }
        let copying = eigenvalues?.copyingScore ?? .nan
        let report = Report(
            model: model.folder.path, label: head.label, layer: spec.layer, head: spec.head,
            token_id: t, token: text(t), ov_copying: copying,
            ov_eigenvalues: JSONNullable(eigenvalues?.map { [$0.real, $0.imaginary] }),
            ov_promoted: JSONNullable(promotions.map { entries($0.promoted) }),
            ov_suppressed: JSONNullable(promotions.map { entries($0.suppressed) }),
            qk_preferred_keys: JSONNullable(keys.map(entries)),
            positional: positional.map { .init(preferred_offset: $0.preferredOffset, share: $0.share) },
            composition: composition)
        if json {
            try JSONOutput.print(report)
        } else {
            printText(report, head: head, promotions: promotions, positional: positional,
                      eigenvalueCount: eigenvalues?.count ?? 0, model: model)
        }
        if let error = nonFiniteError(head, earlier: earlier, weights: weights, folder: model.folder.path) { throw error }
    }

    /// The one line for a non-finite circuit: the head's own QK, then its OV, then an earlier head
    /// whose OV circuit made a composition score nan.
    private func nonFiniteError(_ head: HeadCircuitWeights, earlier: [[(layer: Int, head: Int, score: Float)]],
                                weights: ProcessedWeights, folder: String) -> CircuitNonFiniteError? {
        let bad = head.nonFiniteMatrices
        if !head.qkIsFinite {
            return .headCircuit(circuit: "QK", head: head.label, matrices: bad.filter { $0 == "W_Q" || $0 == "W_K" },
                                leftOut: "its key preferences, positional QK and Q- and K-composition are", folder: folder)
        }
        if !head.ovIsFinite {
            return .headCircuit(circuit: "OV", head: head.label, matrices: bad.filter { $0 == "W_V" || $0 == "W_O" },
                                leftOut: "its token effects, copying score and V-composition are", folder: folder)
        }
        guard let first = earlier.first?.first(where: { $0.score.isNaN }) else { return nil }
        let matrices = (try? HeadCircuitWeights(weights, layer: first.layer, head: first.head).nonFiniteMatrices) ?? []
        return .earlierHead(head: "L\(first.layer)H\(first.head)", matrices: matrices, into: head.label, folder: folder)
    }

    private func printText(_ report: Report, head: HeadCircuitWeights,
                           promotions: (promoted: [CircuitTokenScore], suppressed: [CircuitTokenScore])?,
                           positional: PositionalPreference?, eigenvalueCount: Int, model: LoadedModel) {
        let copying = report.ov_copying

        let leftOut = "left out (non-finite weights, named below)"
        print("Head \(report.label) of \(model.name) (processed weights, TransformerLens conventions)")
        if head.ovIsFinite {
            print(String(format: "OV copying score %.4f  (Σλ/Σ|λ| over %d eigenvalues of W_E·W_V·W_O·W_U)", copying, eigenvalueCount))
        } else {
            print("OV copying score: \(leftOut)")
        }
        print("Token '\(report.token)' (id \(report.token_id))")
        if let promotions, let promoted = report.ov_promoted.value, let suppressed = report.ov_suppressed.value {
            print("OV: attending to it raises                 lowers")
            for i in 0..<max(promotions.promoted.count, promotions.suppressed.count) {
                let left = i < promoted.count ? Self.cell(promoted[i]) : ""
                let right = i < suppressed.count ? Self.cell(suppressed[i]) : ""
                print(String(format: "%3d. ", i + 1) + left.padding(toLength: 38, withPad: " ", startingAt: 0) + right)
            }
        } else {
            print("OV: \(leftOut)")
        }
        if let keys = report.qk_preferred_keys.value {
            print("QK: as a query it prefers keys")
            for (i, e) in keys.enumerated() { print(String(format: "%3d. ", i + 1) + Self.cell(e)) }
        } else {
            print("QK: \(leftOut)")
        }
        if !head.qkIsFinite {
            print("Positional QK: \(leftOut)")
        } else if let positional {
            print(String(format: "Positional QK: preferred offset %d (arg-max key for %.0f%% of query positions)",
                         positional.preferredOffset, positional.share * 100))
        } else {
            print("Positional QK: does not exist for this model (no learned position embedding W_pos)")
        }
        if head.layer == 0 {
            print("Composition: layer 0 reads no earlier head")
        } else {
            for kind in CompositionKind.allCases {
                guard let list = report.composition[kind.rawValue]?.value else {
                    print("\(kind.rawValue)-composition: \(leftOut)")
                    continue
                }
                print("\(kind.rawValue)-composition (top \(top)): "
                      + list.map { "\($0.label) \(String(format: "%.3f", $0.score))" }.joined(separator: ", "))
            }
        }
    }

    private static func cell(_ e: Entry) -> String { "'\(e.token)' " + String(format: "%+.3f", e.score) }

    /// The token asked for, else the prompt's last token.
    private func chosenToken(_ model: LoadedModel) throws -> Int {
        if let tokenID {
            guard tokenID >= 0, tokenID < model.config.vocabSize else {
                throw CLIError("--token-id \(tokenID) is outside the vocabulary (0–\(model.config.vocabSize - 1))")
            }
            return tokenID
        }
        if let token { return try TokenArgument.resolve(token, option: "--token", model: model) }
        let ids = try promptOptions.tokens(for: model)
        return ids[ids.count - 1]
    }

    struct Entry: Encodable { var token_id: Int; var token: String; var score: Float }
    struct Earlier: Encodable { var label: String; var layer: Int; var head: Int; var score: Float }
    struct Positional: Encodable { var preferred_offset: Int; var share: Double }
    struct Report: Encodable {
        var model: String, label: String, layer: Int, head: Int, token_id: Int, token: String
        /// Σλ/Σ|λ| (null when not finite: no eigenvalue mass).
        var ov_copying: Double
        /// null (like the token lists) when the circuit they read holds non-finite weights.
        var ov_eigenvalues: JSONNullable<[[Double]]>
        var ov_promoted: JSONNullable<[Entry]>, ov_suppressed: JSONNullable<[Entry]>, qk_preferred_keys: JSONNullable<[Entry]>
        /// Absent for models without learned positions or with a non-finite QK circuit.
        var positional: Positional?
        /// Q, K, V: null when the head's circuit the kind reads holds non-finite weights.
        var composition: [String: JSONNullable<[Earlier]>]
    }
}

/// A head named on the command line: "1.3" or "L1H3".
struct HeadSpec {
    let layer: Int
    let head: Int

    init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var parts: [Substring] = []
        if trimmed.uppercased().hasPrefix("L"), let h = trimmed.uppercased().firstIndex(of: "H") {
            let upper = trimmed.uppercased()
            parts = [upper[upper.index(after: upper.startIndex)..<h], upper[upper.index(after: h)...]]
        } else {
            parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        }
        guard parts.count == 2, let l = Int(parts[0]), let h = Int(parts[1]) else {
            throw HeadSpecError.notAHead(text)
        }
        guard l >= 0, h >= 0 else { throw HeadSpecError.negative(text) }
        layer = l
        head = h
    }
}

/// Why `--head` cannot name a head, in one line.
enum HeadSpecError: Error, CustomStringConvertible {
    case notAHead(String)
    case negative(String)

    var description: String {
        switch self {
        case .notAHead(let text): return "--head '\(text)' is not LAYER.HEAD (e.g. 1.3) or L1H3"
        case .negative(let text): return "--head '\(text)': layer and head count from 0, so neither can be negative (e.g. 1.3)"
        }
    }
}

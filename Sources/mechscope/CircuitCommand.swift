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
        let session = AnalysisSession(model: try modelOptions.open(for: "circuit", needs: [.lmHead]))
        let model = session.model
        let spec = try HeadSpec(head)
        let weights = session.processedWeights()
        let ov = try OVCircuit(weights, layer: spec.layer, head: spec.head)
        let qk = try QKCircuit(weights, layer: spec.layer, head: spec.head)
        let t = try chosenToken(model)
        let (promoted, suppressed) = try ov.promotions(ofToken: t, top: top)
        let keys = try qk.preferredKeys(forQueryToken: t, top: top)
        let positional = try? qk.positionalPreference()
        let eigenvalues = try OVCopyingScores.eigenvalues(weights, layer: spec.layer, head: spec.head)
        var composition: [String: [Earlier]] = [:]
        let kinds = CompositionKind.allCases
        let earlier = try CompositionScores.earlierHeads(composingInto: spec.layer, head: spec.head, kinds: kinds, weights: weights)
        for (kind, list) in zip(kinds, earlier) {
            composition[kind.rawValue] = list.prefix(top)
                .map { Earlier(label: "L\($0.layer)H\($0.head)", layer: $0.layer, head: $0.head, score: $0.score) }
        }
        func text(_ id: Int) -> String { model.tokenizer?.displayText(of: id) ?? "#\(id)" }
        func entries(_ list: [CircuitTokenScore]) -> [Entry] { list.map { Entry(token_id: $0.token, token: text($0.token), score: $0.score) } }
        let copying = eigenvalues.copyingScore
        let report = Report(
            model: model.folder.path, label: ov.weights.label, layer: spec.layer, head: spec.head,
            token_id: t, token: text(t), ov_copying: copying,
            ov_eigenvalues: eigenvalues.map { [$0.real, $0.imaginary] },
            ov_promoted: entries(promoted), ov_suppressed: entries(suppressed), qk_preferred_keys: entries(keys),
            positional: positional.map { .init(preferred_offset: $0.preferredOffset, share: $0.share) },
            composition: composition)
        if json { try JSONOutput.print(report); return }

        print("Head \(report.label) of \(model.name) (processed weights, TransformerLens conventions)")
        print(String(format: "OV copying score %.4f  (Σλ/Σ|λ| over %d eigenvalues of W_E·W_V·W_O·W_U)", copying, eigenvalues.count))
        print("Token '\(report.token)' (id \(t))")
        print("OV: attending to it raises                 lowers")
        for i in 0..<max(promoted.count, suppressed.count) {
            let left = i < promoted.count ? Self.cell(report.ov_promoted[i]) : ""
            let right = i < suppressed.count ? Self.cell(report.ov_suppressed[i]) : ""
            print(String(format: "%3d. ", i + 1) + left.padding(toLength: 38, withPad: " ", startingAt: 0) + right)
        }
        print("QK: as a query it prefers keys")
        for (i, e) in report.qk_preferred_keys.enumerated() { print(String(format: "%3d. ", i + 1) + Self.cell(e)) }
        if let positional {
            print(String(format: "Positional QK: preferred offset %d (arg-max key for %.0f%% of query positions)",
                         positional.preferredOffset, positional.share * 100))
        } else {
            print("Positional QK: does not exist for this model (no learned position embedding W_pos)")
        }
        if spec.layer == 0 {
            print("Composition: layer 0 reads no earlier head")
        } else {
            for kind in CompositionKind.allCases {
                print("\(kind.rawValue)-composition (top \(top)): "
                      + composition[kind.rawValue]!.map { "\($0.label) \(String(format: "%.3f", $0.score))" }.joined(separator: ", "))
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
        var ov_eigenvalues: [[Double]]
        var ov_promoted: [Entry], ov_suppressed: [Entry], qk_preferred_keys: [Entry]
        /// null for models without learned positions.
        var positional: Positional?
        var composition: [String: [Earlier]]
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

import Foundation
import MechAnalysis
import MechModels

/// `mechscope heads` on an encoder: the scores defined without causality — previous-token and
/// duplicate-token (TransformerLens's detect_head on the prompt) and mean attention entropy. The
/// induction scores (which assume a query reads only what came before), OV copying and composition
/// (read through the LM head) are refused in one line.
enum EncoderHeadsReport {
    struct Row: Encodable {
        var label: String, layer: Int, head: Int
        var previous_token: Double, duplicate_token: Double, entropy: Double
    }

    struct Report: Encodable {
        var model: String, prompt: String, token_ids: [Int], tokens: [String]
        var exclude_bos: Bool, exclude_current_token: Bool, sort: String
        var heads: [Row]
    }

    static func run(model: LoadedModel, command c: HeadsCommand) throws {
        let type = model.config.modelType
        if c.composition != nil {
            throw CLIError("'heads --composition' reads OV and QK circuits through the LM head, and \(model.folder.path) "
                           + "(\(type) encoder) has none: 'heads' alone gives its previous-token, duplicate-token and entropy scores")
        }
        let sort = c.sortOption ?? .prev
        switch sort {
        case .induction, .repeated:
            throw CLIError("'heads --sort \(sort.rawValue)': induction scores assume causal attention, and \(model.folder.path) "
                           + "(\(type) encoder) attends in both directions: sort by prev, dup or entropy")
        case .copying:
            throw CLIError("'heads --sort copying': OV copying reads the LM head, and \(model.folder.path) (\(type) encoder) "
                           + "has none: sort by prev, dup or entropy")
        case .prev, .dup, .entropy: break
        }
        let prompt = try c.promptOptions.text(for: model)
        let ids = try model.tokenize(prompt, bos: c.promptOptions.bos)
        let options = HeadDetectionOptions(excludeBOS: c.excludeBOS, excludeCurrentToken: c.excludeCurrentToken)
        let scores = try HeadPatternScores.compute(model.transformer, tokens: ids, options: options)
        let heads = scores.heads
        var rows = (0..<(scores.layers * heads)).map { i in
            Row(label: "L\(i / heads)H\(i % heads)", layer: i / heads, head: i % heads,
                previous_token: scores.previousToken[i], duplicate_token: scores.duplicateToken[i], entropy: scores.entropy[i])
        }
        func key(_ r: Row) -> Double {
            let v = sort == .prev ? r.previous_token : sort == .dup ? r.duplicate_token : r.entropy
            return v.isNaN ? -.infinity : v
        }
        rows.sort { key($0) > key($1) || (key($0) == key($1) && ($0.layer, $0.head) < ($1.layer, $1.head)) }
        let tokens = ids.map { model.tokenizer?.displayText(of: $0) ?? "#\($0)" }
        if c.json {
            try JSONOutput.print(Report(model: model.folder.path, prompt: prompt, token_ids: ids, tokens: tokens,
                                        exclude_bos: c.excludeBOS, exclude_current_token: c.excludeCurrentToken,
                                        sort: sort.rawValue, heads: rows))
            return
        }
        let cfg = model.config
        print("\(model.name): \(Plural.count(cfg.nLayers, "layer")) × \(Plural.count(cfg.nHeads, "head")); "
              + "prompt \(Plural.count(ids.count, "token")); \(type) encoder: bidirectional attention, so no induction "
              + "scores; no LM head, so no OV copying; sorted by \(sort.rawValue)")
        print("head      prev-tok   dup-tok   entropy")
        for r in rows {
            print(r.label.padding(toLength: 8, withPad: " ", startingAt: 0)
                  + [r.previous_token, r.duplicate_token, r.entropy].map { $0.isNaN ? "       nan" : String(format: "%10.4f", $0) }.joined())
        }
    }
}

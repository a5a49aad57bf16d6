import MechAnalysis
/// A `:` command, parsed. The table of names drives parsing, completion and the help.
public enum ExplorerCommand: Equatable, Sendable {
    case head(layer: Int, head: Int)
    case neuron(layer: Int, neuron: Int)
    case layer(Int)
    case neurons(Int)
    case page(Page)
    case prompt(String)
    case answer(String)
    case wrong(String?)
    case metric(HeadMetric)
    case export(String)
    case bos(Bool)
    case theme(String)
    case present(Bool?)
    case clearAblations
    case help
    case quit
    case corrupt(String?)
    case patch(PatchingTarget?)
    case ablate(Ablation.Target, Ablation.Kind)

    /// (name, arguments, what it does), in help order.
    public static let table: [(name: String, arguments: String, help: String)] = [
        ("head", "L1H3 | 1.3", "open an attention head"),
        ("neuron", "L0N5 | 0.5", "open an MLP neuron"),
        ("layer", "N", "all heads of layer N"),
        ("neurons", "N", "the MLP neurons of layer N"),
        ("atlas", "", "the head atlas"),
        ("lens", "", "the residual stream through the logit lens"),
        ("logits", "", "the next-token top-k"),
        ("dla", "", "direct logit attribution"),
        ("embed", "", "tokens and embeddings"),
        ("final", "", "the final norm per position"),
        ("ablations", "[clear]", "the active ablations (clear: remove them all)"),
        ("ablate", "L1H3 | L0N12 [zero|mean]", "ablate a head or a neuron (zero by default; alone: the ablations page)"),
        ("corrupt", "[TEXT]", "the corrupted prompt for patching and compare (no text: clear it)"),
        ("patch", "[resid_pre|attn_out|mlp_out|heads]", "activation patching between the clean and corrupted prompts"),
        ("prompt", "TEXT", "run a new prompt"),
        ("answer", "TOKEN | #ID", "the answer token (one token of the tokenizer)"),
        ("wrong", "TOKEN | #ID | none", "the wrong token of a logit difference"),
        ("metric", HeadMetric.allCases.map(\.rawValue).joined(separator: "|"), "the atlas metric"),
        ("export", "FILE", "write the current view: FILE.txt text, .ans ANSI colours, .svg picture"),
        ("bos", "on | off", "put the BOS token first, or not"),
        ("fourier", "", "a modular-addition model's Fourier story"),
        ("features", "", "a toy superposition model's features"),
        ("theme", "NAME | FILE", "switch the colour theme (Tab completes the names)"),
        ("present", "[on | off]", "the presentation layout: big heatmap cells, no navigator, bold labels"),
        ("help", "", "every key and command"),
        ("q", "", "quit"),
    ]

    /// Parses a command line (without the colon) for a model of `layers` layers.
    public static func parse(_ line: String) -> Result<ExplorerCommand, CommandError> {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let name = String(trimmed.prefix(while: { $0 != " " }))
        let rest = String(trimmed.dropFirst(name.count).drop(while: { $0 == " " }))
        switch name.lowercased() {
        case "head", "h":
            guard let (l, h) = parsePair(rest, letters: ("L", "H")) else {
                return .failure(.badArgument(command: "head", argument: rest, expected: "L1H3 or 1.3"))
            }
            return .success(.head(layer: l, head: h))
        case "neuron", "n":
            guard let (l, n) = parsePair(rest, letters: ("L", "N")) else {
                return .failure(.badArgument(command: "neuron", argument: rest, expected: "L0N5 or 0.5"))
            }
            return .success(.neuron(layer: l, neuron: n))
        case "layer", "l":
            guard let l = Int(rest.uppercased().hasPrefix("L") ? String(rest.dropFirst()) : rest), l >= 0 else {
                return .failure(.badArgument(command: "layer", argument: rest, expected: "a layer number"))
            }
            return .success(.layer(l))
        case "neurons", "mlp":
            guard let l = Int(rest.uppercased().hasPrefix("L") ? String(rest.dropFirst()) : rest), l >= 0 else {
                return .failure(.badArgument(command: "neurons", argument: rest, expected: "a layer number"))
            }
            return .success(.neurons(l))
        case "atlas": return .success(.page(.atlas))
        case "lens", "resid", "residual": return .success(.page(.lens))
        case "logits", "next", "top": return .success(.page(.logits))
        case "dla", "attribution", "attr": return .success(.page(.attribution))
        case "embed", "tokens": return .success(.page(.embed))
        case "final", "norm", "finalnorm": return .success(.page(.finalNorm))
        case "ablations", "ablation":
            switch rest {
            case "": return .success(.page(.ablations))
            case "clear": return .success(.clearAblations)
            default: return .failure(.badArgument(command: "ablations", argument: rest, expected: "nothing or 'clear'"))
            }
        case "prompt", "p":
            guard !rest.isEmpty else { return .failure(.missingArgument(command: "prompt", expected: "TEXT")) }
            return .success(.prompt(rest))
        case "answer":
            guard !rest.isEmpty else { return .failure(.missingArgument(command: "answer", expected: "TOKEN or #ID")) }
            return .success(.answer(unquoted(rest)))
        case "wrong":
            guard !rest.isEmpty else { return .failure(.missingArgument(command: "wrong", expected: "TOKEN, #ID or none")) }
            return .success(.wrong(rest == "none" ? nil : unquoted(rest)))
        case "metric", "m":
            guard let m = HeadMetric(name: rest) else {
                return .failure(.badArgument(command: "metric", argument: rest,
                                             expected: HeadMetric.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            return .success(.metric(m))
        case "export", "w":
            guard !rest.isEmpty else { return .failure(.missingArgument(command: "export", expected: "FILE")) }
            return .success(.export(rest))
        case "bos":
            switch rest.lowercased() {
            case "on", "true", "1", "yes": return .success(.bos(true))
            case "off", "false", "0", "no": return .success(.bos(false))
            default: return .failure(.badArgument(command: "bos", argument: rest, expected: "on or off"))
            }
        case "corrupt", "corrupted":
            return .success(.corrupt(rest.isEmpty ? nil : rest))
        case "patch", "patching":
            guard !rest.isEmpty else { return .success(.patch(nil)) }
            guard let target = PatchingTarget(rawValue: rest.lowercased()) else {
                return .failure(.badArgument(command: "patch", argument: rest, expected: "resid_pre, attn_out, mlp_out or heads"))
            }
            return .success(.patch(target))
        case "ablate":
            return parseAblate(rest)
        case "fourier": return .success(.page(.fourier))
        case "features": return .success(.page(.features))
        case "theme", "colors", "colours":
            guard !rest.isEmpty else { return .failure(.missingArgument(command: "theme", expected: "a theme's name or file")) }
            return .success(.theme(unquoted(rest)))
        case "present", "presentation":
            switch rest.lowercased() {
            case "": return .success(.present(nil))
            case "on", "true", "1", "yes": return .success(.present(true))
            case "off", "false", "0", "no": return .success(.present(false))
            default: return .failure(.badArgument(command: "present", argument: rest, expected: "nothing, on or off"))
            }
        case "help", "?": return .success(.help)
        case "q", "quit", "q!", "qa", "wq", "x": return .success(.quit)
        case "": return .failure(.empty)
        default: return .failure(.unknown(name, suggestion: completions(name).first))
        }
    }

    /// Command names (and the arguments of `metric`, `patch`, `bos`, `present`, `theme`, and of `head`
    /// and `neuron` from the `model`'s shape) that complete `prefix`. `offers` says whether the open
    /// model can show what a command asks for: the commands and metrics it would refuse or answer with
    /// "does not apply" are left out (an encoder is not offered `induction`, `:lens` or `:answer`). A
    /// name whose argument cannot be guessed is offered.
    public static func completions(_ prefix: String, themes: [String] = [], model: ModelSummary? = nil,
                                   offers: (ExplorerCommand) -> Bool = { _ in true }) -> [String] {
        if let model, prefix.hasPrefix("head "), offers(.head(layer: 0, head: 0)) {
            return UnitNameCompletion.names(completing: String(prefix.dropFirst(5)), layers: model.layers, units: model.heads,
                                            letter: "H").map { "head " + $0 }
        }
        if let model, prefix.hasPrefix("neuron "), offers(.neuron(layer: 0, neuron: 0)) {
            return UnitNameCompletion.names(completing: String(prefix.dropFirst(7)), layers: model.layers, units: model.dMLP,
                                            letter: "N").map { "neuron " + $0 }
        }
        if prefix.hasPrefix("theme ") {
            return themes.filter { $0.hasPrefix(prefix.dropFirst("theme ".count)) }.map { "theme " + $0 }
        }
        if prefix.hasPrefix("present ") {
            return ["on", "off"].filter { $0.hasPrefix(prefix.dropFirst("present ".count)) }.map { "present " + $0 }
        }
        if prefix.hasPrefix("metric ") {
            let arg = String(prefix.dropFirst("metric ".count))
            return HeadMetric.allCases.filter { $0.rawValue.hasPrefix(arg) && offers(.metric($0)) }.map { "metric " + $0.rawValue }
        }
        if prefix.hasPrefix("patch ") {
            return PatchingTarget.allCases.filter { $0.rawValue.hasPrefix(prefix.dropFirst(6)) && offers(.patch($0)) }
                .map { "patch " + $0.rawValue }
        }
        if prefix.hasPrefix("bos ") {
            return ["on", "off"].filter { $0.hasPrefix(prefix.dropFirst(4)) }.map { "bos " + $0 }
        }
        return table.map(\.name).filter { name in
            guard name.hasPrefix(prefix.lowercased()) else { return false }
            // A name that needs an argument is asked about with a stand-in one (`answer x`).
            for candidate in [name, name + " x"] {
                if case .success(let command) = parse(candidate) { return offers(command) }
            }
            return true
        }
    }

    /// `:ablate L1H3 [zero|mean]` or `:ablate L0N12 [zero|mean]`.
    static func parseAblate(_ rest: String) -> Result<ExplorerCommand, CommandError> {
        let words = rest.split(separator: " ").map(String.init)
        guard let what = words.first else { return .success(.page(.ablations)) }   // like :patch alone
        let kind: Ablation.Kind
        switch words.count {
        case 1: kind = .zero
        case 2:
            guard let k = Ablation.Kind(rawValue: words[1].lowercased()) else {
                return .failure(.badArgument(command: "ablate", argument: words[1], expected: "zero or mean"))
            }
            kind = k
        default:
            return .failure(.badArgument(command: "ablate", argument: rest, expected: "L1H3 or L0N12, then zero or mean"))
        }
        if what.uppercased().contains("N"), let (l, n) = parsePair(what, letters: ("L", "N")) {
            return .success(.ablate(.neuron(layer: l, neuron: n), kind))
        }
        if what.uppercased().contains("H"), let (l, h) = parsePair(what, letters: ("L", "H")) {
            return .success(.ablate(.head(layer: l, head: h), kind))
        }
        return .failure(.badArgument(command: "ablate", argument: what, expected: "a head (L1H3) or a neuron (L0N12)"))
    }

    /// "L1H3", "l1h3", "1.3", "1 3" → (1, 3).
    static func parsePair(_ text: String, letters: (Character, Character)) -> (Int, Int)? {
        let upper = text.uppercased().trimmingCharacters(in: .whitespaces)
        var parts: [Substring]
        if upper.first == letters.0, let i = upper.firstIndex(of: letters.1) {
            parts = [upper[upper.index(after: upper.startIndex)..<i], upper[upper.index(after: i)...]]
        } else {
            parts = upper.split(whereSeparator: { $0 == "." || $0 == " " || $0 == "," })
        }
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, b >= 0 else { return nil }
        return (a, b)
    }

    /// Strips one pair of matching quotes, so `:answer " Paris"` keeps its leading space.
    static func unquoted(_ text: String) -> String {
        for q in ["\"", "'"] where text.count >= 2 && text.hasPrefix(q) && text.hasSuffix(q) {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}

/// Why a command line did not parse.
public enum CommandError: Error, Equatable, CustomStringConvertible {
    case empty
    case unknown(String, suggestion: String?)
    case missingArgument(command: String, expected: String)
    case badArgument(command: String, argument: String, expected: String)

    public var description: String {
        switch self {
        case .empty: return "type a command, e.g. :head L1H3 (Tab completes, :help lists them)"
        case .unknown(let name, let suggestion):
            return "unknown command ':\(name)'" + (suggestion.map { " (did you mean :\($0)?)" } ?? " (:help lists the commands)")
        case .missingArgument(let command, let expected): return ":\(command) needs \(expected)"
        case .badArgument(let command, let argument, let expected):
            return ":\(command) '\(argument)': expected \(expected)"
        }
    }
}

import Foundation

import MechFormats

/// The top line: model, shape, page, prompt length and BOS, and the prompt itself.
enum TitleBar {
    static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        let style = canvas.palette.title
        canvas.clear(style: style)
        // The title describes the run on screen: while a new prompt computes, the old view stays usable
        // (a spinner in the status line), so the old prompt shows with its own count and BOS until the
        // new run lands.
        let tokens = state.run.map { "\($0.count) tok" } ?? "…"
        let prompt = state.run?.prompt ?? state.prompt
        let bos = ends(state)
        let marker = AblationReadout.marker(state).map { " · " + $0 } ?? ""
        if state.model.isToy {
            let bold = state.presenting
            canvas.put(" mechscope · \(state.model.name) · \(state.model.shapeText) · \(state.page.title)", x: 0, y: 0,
                       style: style.with(bold: bold))
            return
        }
        if state.presenting {                  // the page's name first, bold and padded; the prompt after it
            let used = canvas.put("   \(state.page.title.uppercased())   ·   \(state.model.name)\(marker)   │  ",
                                  x: 0, y: 0, style: style.with(bold: true))
            canvas.put(quoted(prompt), x: used, y: 0, style: style)
            return
        }
        let title = state.page.title + TwoPromptTitle.compareMarker(state)
        var left = " mechscope · \(state.model.name) · \(state.model.shapeText) · \(title) · \(tokens), \(bos)\(marker) │ "
        // Two prompts need room too: the short form leaves it to them.
        if DisplayWidth.of(left) > canvas.width * (state.corruptedPrompt == nil ? 3 : 2) / 4 {      // narrow: the page, the ablations and the prompt matter most
            left = " \(state.model.name) · \(title) · \(tokens), \(bos)\(marker) │ "
        }
        let used = canvas.put(left, x: 0, y: 0, style: style)
        if state.corruptedPrompt != nil {
            TwoPromptTitle.prompts(state, x: used, style: style, into: &canvas)
            return
        }
        canvas.put(quoted(prompt), x: used, y: 0, style: style)
    }
}

extension TitleBar {
    /// A prompt in quotes on one line, newlines, tabs and other controls spelled out (`\n`, `\t`) as tokens show them.
    static func quoted(_ prompt: String) -> String { "\"" + OneLineText.escaped(prompt) + "\"" }

    /// What goes around the prompt: BOS or not for a causal model. An encoder's tokenizer wraps the
    /// prompt itself (BERT: [CLS] first, [SEP] last), so the run's first and last tokens show instead.
    static func ends(_ state: ExplorerState) -> String {
        guard !state.model.isCausal else { return (state.run?.prependBOS ?? state.prependBOS) ? "BOS" : "no BOS" }
        guard let texts = state.run?.tokenTexts, texts.count > 1 else { return "…" }
        let cut = { (text: String) in DisplayWidth.prefix(text, fitting: 12).text }
        return "\(cut(texts[0])) … \(cut(texts[texts.count - 1]))"
    }
}

/// The bottom line: the command line while typing one; otherwise the message or key hints on the
/// left and the compute status (spinner, last compute time, memory) on the right.
enum StatusBar {
    static func render(_ state: ExplorerState, keymap: Keymap, into canvas: inout Canvas) {
        let p = canvas.palette
        if case .command(let editor) = state.mode {
            canvas.clear()
            canvas.put(":", x: 0, y: 0, style: p.accent)
            let end = 1 + canvas.put(editor.visible(columns: canvas.width - 1).text, x: 1, y: 0, style: p.text)
            // Every key clears the message, so one here is what Tab just listed: it follows the line.
            if let options = state.message { canvas.put("  " + options.text, x: end, y: 0, style: p.dim) }
            return
        }
        canvas.clear(style: p.status)
        var right = ""
        let pending = Self.distinct(state.results.pendingLabels + (state.runPending ? ["forward pass"] : [])
            + state.corruptedResults.pendingLabels.map { $0 + " (corrupted)" }
            + (state.corruptedPending ? ["corrupted forward pass"] : []))
        if !pending.isEmpty {
            right = "\(Spinner.frame(state.spinnerFrame)) \(pending.joined(separator: ", "))…"
        } else if let last = state.lastCompute {
            right = "\(last.label) \(Self.milliseconds(last.milliseconds))"
        }
        if let bytes = state.residentBytes { right += (right.isEmpty ? "" : " · ") + "\(bytes / 1_048_576) MB" }
        if let count = state.count { right = "\(count) " + right }
        if let message = state.message {
            // A message wins over the right-hand part: that shows only where it fits beside the message.
            let text = " " + message.text
            let room = canvas.width - DisplayWidth.of(text) - 2
            if !right.isEmpty, DisplayWidth.of(right) <= room {
                canvas.put(right, x: canvas.width - DisplayWidth.of(right), y: 0, style: p.status)
            }
            let style = message.isError ? (p.hasColor ? CellStyle(foreground: p.color(p.theme.color(.error)),
                                                                  background: p.status.background, bold: true)
                                                      : CellStyle(bold: true, reverse: true)) : p.status
            canvas.put(text, x: 0, y: 0, style: style, limit: canvas.width)
            return
        }
        let rightWidth = min(DisplayWidth.of(right), canvas.width / 2)
        canvas.put(DisplayWidth.rightAligned(right, rightWidth), x: canvas.width - rightWidth, y: 0, style: p.status)
        let leftWidth = canvas.width - rightWidth - 1
        let hints = keymap.hints(for: state.keyContext, excluding: Self.inapplicableActions(state.model))
        var x = 1
        for hint in hints {
            let w = DisplayWidth.of(hint)
            guard x + w <= leftWidth else { break }
            canvas.put(hint, x: x, y: 0, style: p.status)
            x += w + 2
        }
    }

    /// Each running task's name once (several pages of the lens are one "logit lens"), in order.
    static func distinct(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    static func milliseconds(_ ms: Double) -> String {
        ms >= 1000 ? String(format: "%.2f s", ms / 1000) : String(format: "%.0f ms", ms)
    }

    /// Keys whose hints would only lead to a refusal on this model: a toy model has no prompt, a model
    /// without a BOS token cannot toggle one, and ablation and patching need an LM head (an encoder has none).
    static func inapplicableActions(_ model: ModelSummary) -> Set<Action> {
        var out: Set<Action> = []
        if model.isToy { out.formUnion([.editPrompt, .toggleBOS]) }
        if model.bosToken == nil { out.insert(.toggleBOS) }
        if !model.hasLMHead { out.formUnion([.zeroAblate, .meanAblate, .toggleAblation, .clearAblations]) }
        return out
    }
}

import Foundation

/// `?`: every binding that applies in the current view, straight from the keymap table (so help
/// cannot drift from behaviour), then the `:` commands.
enum HelpView {
    /// The help's lines for a context: the context's own bindings, then the global ones (or, in
    /// the navigator, its bindings), then the commands.
    static func lines(for context: KeyContext, keymap: Keymap) -> [(text: String, heading: Bool)] {
        var out: [(String, Bool)] = []
        let contexts: [KeyContext] = context == .global ? [.global] : [context, .global]
        for c in contexts {
            let bindings = keymap.bindings(in: c)
            guard !bindings.isEmpty else { continue }
            out.append((c.title, true))
            for b in bindings { out.append(("  " + DisplayWidth.fit(b.keyLabel, 16) + b.help, false)) }
            out.append(("", false))
        }
        out.append(("Commands (type : first)", true))
        for c in ExplorerCommand.table {
            out.append(("  " + DisplayWidth.fit(":\(c.name) \(c.arguments)", 34) + c.help, false))
        }
        return out
    }

    static func render(_ state: ExplorerState, keymap: Keymap, scroll: Int, into canvas: inout Canvas) {
        let p = canvas.palette
        let context = state.focus == .navigator ? KeyContext.navigator : state.page.context
        let lines = Self.lines(for: context, keymap: keymap)
        canvas.line("Help — \(context.title)   (j/k scroll, q or Esc closes)", y: 0, style: p.title)
        let height = canvas.height - 1
        let start = min(scroll, max(0, lines.count - height))
        for i in 0..<height where start + i < lines.count {
            let line = lines[start + i]
            canvas.put(line.text, x: 1, y: i + 1, style: line.heading ? p.heading : p.text)
        }
    }
}

/// `?`: every binding that applies in the current view, straight from the keymap table (so help
/// cannot drift from behaviour), then the `:` commands.
enum HelpView {
    /// The bindings in force in a context, as help lists them: the context's own, then the global
    /// ones with any key the context gives another meaning left out.
    static func effectiveBindings(for context: KeyContext, keymap: Keymap) -> [(context: KeyContext, binding: KeyBinding)] {
        keymap.effectiveBindings(in: context).map { ($0.context, $0) }
    }

    /// The help's lines for a context: its bindings, the global ones still in force, then the commands.
    static func lines(for context: KeyContext, keymap: Keymap) -> [(text: String, heading: Bool)] {
        var out: [(String, Bool)] = []
        var current: KeyContext?
        for (c, b) in effectiveBindings(for: context, keymap: keymap) {
            if c != current {
                if current != nil { out.append(("", false)) }
                out.append((c.title, true))
                current = c
            }
            out.append(("  " + DisplayWidth.fit(b.keyLabel, 16) + b.help, false))
        }
        out.append(("", false))
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

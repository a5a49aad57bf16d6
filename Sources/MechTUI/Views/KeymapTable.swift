/// The keymap as a Markdown table (README and `mechscope keys`), straight from `Keymap.standard`.
public enum KeymapTable {
    public static func markdown(_ keymap: Keymap = .standard) -> String {
        var lines = ["| keys | where | what |", "| --- | --- | --- |"]
        for b in keymap.bindings {
            let keys = b.keys.map { "`\($0.label == "`" ? "backtick" : $0.label)`" }.joined(separator: " ")
            lines.append("| \(keys) | \(b.context.title) | \(b.help.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        lines.append("")
        lines.append("| command | what |")
        lines.append("| --- | --- |")
        for c in ExplorerCommand.table {
            let usage = ":" + c.name + (c.arguments.isEmpty ? "" : " " + c.arguments)
            lines.append("| `\(usage.replacingOccurrences(of: "|", with: "\\|"))` | \(c.help) |")
        }
        return lines.joined(separator: "\n")
    }
}

import Foundation

/// Which terminal description to open when `COLORTERM` says the emulator shows 24-bit colour but
/// `TERM` names a palette entry (xterm-256color): the `-direct` sibling of that entry
/// (xterm-direct, tmux-direct), if one is installed. ncurses can only send 24-bit colours
/// through a direct-colour description, so without one the explorer stays at 256 colours.
enum DirectColorTerminal {
    static func description(for environment: [String: String]) -> String? {
        guard ColorDepth.wantsTruecolor(environment), let term = environment["TERM"], !term.isEmpty,
              !term.contains("direct") else { return nil }
        var base = term
        for suffix in ["-256color", "-88color", "-16color", "-color"] where base.hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
            break
        }
        let candidate = base + "-direct"
        return installed(candidate, environment: environment) ? candidate : nil
    }

    /// Whether a compiled terminfo entry `name` is where ncurses looks: $TERMINFO, ~/.terminfo,
    /// $TERMINFO_DIRS (an empty entry stands for the system folders), then the system folders.
    static func installed(_ name: String, environment: [String: String]) -> Bool {
        guard let first = name.first else { return false }
        let system = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"]
        var folders: [String] = []
        if let t = environment["TERMINFO"], !t.isEmpty { folders.append(t) }
        if let home = environment["HOME"], !home.isEmpty { folders.append(home + "/.terminfo") }
        if let dirs = environment["TERMINFO_DIRS"] {
            for d in dirs.split(separator: ":", omittingEmptySubsequences: false) {
                folders += d.isEmpty ? system : [String(d)]
            }
        }
        folders += system
        let hex = String(format: "%02x", first.asciiValue ?? 0)
        return folders.contains { folder in
            [String(first), hex].contains { FileManager.default.fileExists(atPath: "\(folder)/\($0)/\(name)") }
        }
    }
}

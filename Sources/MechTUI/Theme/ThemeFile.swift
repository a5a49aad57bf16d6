import Foundation

/// Reads a theme file: `role = #rrggbb` lines and `sequential = #… #… …` / `diverging = …`
/// gradient stops; `#` starts a comment only after whitespace or at the start of a line. Loading is
/// tolerant, as btop's is: unknown keys and bad values are reported as warnings and skipped, and
/// missing roles keep the default theme's colours.
public enum ThemeFile {
    public struct Loaded: Sendable {
        public var theme: Theme
        public var warnings: [String]
    }

    public static func load(_ url: URL) throws -> Loaded {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ThemeFileError.unreadable(path: url.path)
        }
        return parse(text, name: url.deletingPathExtension().lastPathComponent, source: url.path)
    }

    public static func parse(_ text: String, name: String, source: String = "theme") -> Loaded {
        var theme = Theme.default
        theme.name = name
        var warnings: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            guard let eq = line.firstIndex(of: "=") else {
                warnings.append("\(source):\(index + 1): expected 'key = value', found '\(line)'")
                continue
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if key == "sequential" || key == "diverging" {
                let stops = words.compactMap(RGB.init(hex:))
                guard stops.count >= 2, stops.count == words.count else {
                    warnings.append("\(source):\(index + 1): \(key) needs two or more #rrggbb stops, found '\(value)'")
                    continue
                }
                if key == "sequential" { theme.sequential = Gradient(stops) } else { theme.diverging = Gradient(stops) }
            } else if let role = Theme.Role(rawValue: key) {
                guard words.count == 1, let color = RGB(hex: words[0]) else {
                    warnings.append("\(source):\(index + 1): \(key) needs one #rrggbb colour, found '\(value)'")
                    continue
                }
                theme.colors[role] = color
            } else {
                let known = (Theme.Role.allCases.map(\.rawValue) + ["sequential", "diverging"]).joined(separator: ", ")
                warnings.append("\(source):\(index + 1): unknown key '\(key)' ignored (known: \(known))")
            }
        }
        return Loaded(theme: theme, warnings: warnings)
    }
}

public enum ThemeFileError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case notFound(name: String, searched: [String])

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read theme file \(path)"
        case .notFound(let name, let searched):
            return "no theme '\(name)' (looked for \(searched.joined(separator: ", ")))"
        }
    }
}

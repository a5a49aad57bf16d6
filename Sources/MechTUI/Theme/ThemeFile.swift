import Foundation

/// Reads a theme file, one setting a line:
///
///     # a comment (lines starting with #)
///     background = "#121212"
///     sequential = "#000000" "#8c2981" "#fcfdbf"
///
/// A role takes one `#rrggbb` colour (quotes optional); `sequential` and `diverging` take two or
/// more stops, low to high (diverging: negative, zero, positive). Unknown keys are warnings, not
/// errors (a newer theme still loads); roles left out take defaults; a line that is not
/// `key = value`, or a value that is not a colour, makes the whole file fail with one line naming
/// the file and the line.
public enum ThemeFile {
    public struct Loaded: Sendable {
        public var theme: Theme
        public var warnings: [String]
    }

    public static func load(_ url: URL) throws -> Loaded {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ThemeFileError.unreadable(path: url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeFileError.malformed(source: url.path, line: 1, problem: "the file is not UTF-8 text")
        }
        return try parse(text, name: url.deletingPathExtension().lastPathComponent, source: url.path)
    }

    public static func parse(_ text: String, name: String, source: String = "theme") throws -> Loaded {
        var theme = Theme(name: name, colors: [:], sequential: Theme.dark.sequential, diverging: Theme.dark.diverging)
        var warnings: [String] = []
        var seen: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            func fail(_ problem: String) -> ThemeFileError {
                ThemeFileError.malformed(source: source, line: lineNumber, problem: problem)
            }
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected 'key = \"#rrggbb\"', found '\(line)'") }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw fail("a setting needs a key before '='") }
            let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if let earlier = seen[key] {
                warnings.append("\(source):\(lineNumber): '\(key)' was already set on line \(earlier); this line wins")
            }
            seen[key] = lineNumber
            if key == "sequential" || key == "diverging" {
                guard words.count >= 2 else { throw fail("\(key) needs two or more \"#rrggbb\" stops, found '\(value)'") }
                var stops: [RGB] = []
                for word in words {
                    guard let stop = RGB(hex: word) else { throw fail("\(key): '\(word)' is not a \"#rrggbb\" colour") }
                    stops.append(stop)
                }
                if key == "sequential" { theme.sequential = Gradient(stops) } else { theme.diverging = Gradient(stops) }
            } else if let role = Theme.Role(rawValue: key) ?? Theme.Role.aliases[key] {
                guard words.count == 1, let color = RGB(hex: words[0]) else {
                    throw fail("\(key) needs one \"#rrggbb\" colour, found '\(value)'")
                }
                theme.colors[role] = color
            } else {
                warnings.append("\(source):\(lineNumber): unknown key '\(key)' ignored "
                                + "(roles: \(Theme.Role.allCases.map(\.rawValue).joined(separator: ", ")), sequential, diverging)")
            }
        }
        for (key, gradient, diverging) in [("sequential", theme.sequential, false), ("diverging", theme.diverging, true)]
        where seen[key] != nil {
            for problem in ColorVision.problems(gradient, diverging: diverging) {
                warnings.append("\(source):\(seen[key]!): \(key): \(problem)")
            }
        }
        return Loaded(theme: theme, warnings: warnings)
    }
}

public enum ThemeFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(source: String, line: Int, problem: String)
    case notFound(name: String, available: [String])

    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read theme file \(path)"
        case .malformed(let source, let line, let problem): return "\(source):\(line): \(problem)"
        case .notFound(let name, let available):
            return "no theme '\(name)'" + (available.isEmpty ? "" : " (themes: \(available.joined(separator: ", ")))")
                + "; give a theme's name or a theme file's path"
        }
    }
}

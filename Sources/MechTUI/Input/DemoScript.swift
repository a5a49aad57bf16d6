import Foundation
import MechFormats

/// A keystroke script for `mechscope explore --play FILE`, parsed.
///
/// Format: one item per line.
///   j  Enter  Esc  Tab  S-Tab  Space  Bksp  Del  Up  Down  Left  Right  Home  End  PgUp  PgDn  F1…F12
///   C-d (or Ctrl-d)   a key by name; any single character is itself
///   5j                a count prefix: typed as the keys "5" then "j" (the explorer repeats the motion)
///   type "text"       the text typed as keys (\" and \\ escape inside the quotes)
///   :command args     typed as a command line, then Enter
///   wait 1.5          a pause, in seconds
///   caption "text"    text shown in the status line
///   # comment         ignored, as are blank lines
/// Several keys may share a line, separated by spaces: `j j l Enter`.
public struct DemoScript: Equatable, Sendable {
    public enum Step: Equatable, Sendable {
        /// A key pressed on its own (paced at `--pace`).
        case key(Key)
        /// A key of `type "…"` text or a `:` command line (typed quickly).
        case typed(Key)
        case wait(Double)
        case caption(String)
    }

    /// The steps, each key on its own (counts, text and commands already expanded to keys).
    public let steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    public static func load(path: String) throws -> DemoScript {
        let name = (path as NSString).lastPathComponent
        let data: Data
        do { data = try FileBytes.read(UserPath.url(path)) } catch {
            // FileBytes says what and why ("cannot open /x/demo.keys: no such file"; a FIFO is refused at once).
            throw DemoScriptError(file: name, line: 0, kind: .unreadable("\(error)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DemoScriptError(file: name, line: 0, kind: .notUTF8)
        }
        return try parse(text, file: name)
    }

    public static func parse(_ text: String, file: String) throws -> DemoScript {
        var steps: [Step] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            func fail(_ kind: DemoScriptError.Kind) -> DemoScriptError { DemoScriptError(file: file, line: index + 1, kind: kind) }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix(":") {
                guard line.count > 1 else { throw fail(.emptyCommand) }
                steps += line.map { .typed(.char($0)) } + [.key(.enter)]
            } else if line.hasPrefix("type") && (line.count == 4 || line.dropFirst(4).first == " ") {
                steps += try quoted(line.dropFirst(4), fail: fail, what: "type").map { .typed($0 == "\n" ? .enter : .char($0)) }
            } else if line.hasPrefix("caption") && (line.count == 7 || line.dropFirst(7).first == " ") {
                steps.append(.caption(try quoted(line.dropFirst(7), fail: fail, what: "caption")))
            } else if line.hasPrefix("wait") && (line.count == 4 || line.dropFirst(4).first == " ") {
                let arg = line.dropFirst(4).trimmingCharacters(in: .whitespaces)
                guard let seconds = Double(arg), seconds.isFinite, seconds >= 0 else { throw fail(.badWait(arg)) }
                steps.append(.wait(seconds))
            } else {
                for word in line.split(separator: " ") {
                    steps += try keys(String(word), fail: fail).map { .key($0) }
                }
            }
        }
        return DemoScript(steps: steps)
    }

    /// The text between double quotes (the rest of the line must be only that).
    private static func quoted(_ rest: Substring, fail: (DemoScriptError.Kind) -> DemoScriptError, what: String) throws -> String {
        let s = rest.trimmingCharacters(in: .whitespaces)
        guard s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") else { throw fail(.unquoted(what)) }
        var out = "", escaped = false
        for c in s.dropFirst().dropLast() {
            if escaped { out.append(c == "n" ? "\n" : c); escaped = false }
            else if c == "\\" { escaped = true }
            else if c == "\"" { throw fail(.unquoted(what)) }
            else { out.append(c) }
        }
        if escaped { throw fail(.unquoted(what)) }
        return out
    }

    /// One word: a key name, or a count and a key name ("5j").
    private static func keys(_ word: String, fail: (DemoScriptError.Kind) -> DemoScriptError) throws -> [Key] {
        let digits = word.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, digits.count < word.count, digits.first != "0" {
            let rest = String(word.dropFirst(digits.count))
            guard let key = key(named: rest) else { throw fail(.unknownKey(rest, suggestion: suggestion(for: rest))) }
            return digits.map { .char($0) } + [key]
        }
        guard let key = key(named: word) else { throw fail(.unknownKey(word, suggestion: suggestion(for: word))) }
        return [key]
    }

    static let named: [String: Key] = {
        var table: [String: Key] = [
            "Enter": .enter, "Esc": .escape, "Tab": .tab, "S-Tab": .backTab, "Space": .char(" "),
            "Bksp": .backspace, "Backspace": .backspace, "Del": .delete, "Up": .up, "Down": .down,
            "Left": .left, "Right": .right, "Home": .home, "End": .end, "PgUp": .pageUp, "PgDn": .pageDown,
        ]
        for n in 1...12 { table["F\(n)"] = .function(n) }
        return table
    }()

    /// The key a name stands for: a name from the table, C-x / Ctrl-x, or a single character.
    public static func key(named name: String) -> Key? {
        if let k = named[name] { return k }
        for prefix in ["C-", "Ctrl-"] where name.hasPrefix(prefix) && name.count == prefix.count + 1 {
            let c = Character(name.dropFirst(prefix.count).lowercased())
            guard c.isASCII, c.isLetter else { return nil }
            return .ctrl(c)
        }
        if name.count == 1, let c = name.first, !c.isWhitespace { return .char(c) }
        return nil
    }

    /// The closest key name (case-insensitive edit distance ≤ 2), for "did you mean".
    static func suggestion(for word: String) -> String? {
        let w = Array(word.lowercased())
        let scored = named.keys.map { ($0, distance(w, Array($0.lowercased()))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

/// A script that cannot be played, named by file and line: "demo.keys:7: unknown key 'Entr' (did you mean Enter?)".
public struct DemoScriptError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case unreadable(String)
        case notUTF8
        case unknownKey(String, suggestion: String?)
        case unquoted(String)
        case badWait(String)
        case emptyCommand
    }

    public let file: String
    public let line: Int
    public let kind: Kind

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        switch kind {
        case .unreadable(let why): return why
        case .notUTF8: return "\(place): the script is not UTF-8 text"
        case .unknownKey(let name, let suggestion):
            return "\(place): unknown key '\(name)'" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
        case .unquoted(let what): return "\(place): \(what) needs its text in double quotes: \(what) \"…\""
        case .badWait(let arg): return "\(place): wait needs seconds (a number ≥ 0), not '\(arg)'"
        case .emptyCommand: return "\(place): ':' needs a command after it (:head L1H3)"
        }
    }
}

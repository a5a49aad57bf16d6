/// A one-line text editor (the prompt and the `:` command line): characters are whole graphemes,
/// so the cursor never splits an emoji or a combining sequence.
public struct LineEditor: Equatable, Sendable {
    public private(set) var characters: [Character]
    /// Cursor position, 0…characters.count.
    public private(set) var cursor: Int
    private var history: [String]
    private var historyIndex: Int?
    private var draft: String = ""

    public init(_ text: String = "", history: [String] = []) {
        characters = Array(text)
        cursor = characters.count
        self.history = history
    }

    public var text: String { String(characters) }

    public mutating func insert(_ c: Character) {
        characters.insert(c, at: cursor)
        cursor += 1
    }

    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Applies an editing action; `accept`, `cancel` and `complete` are the caller's business.
    public mutating func apply(_ action: LineEditAction) {
        switch action {
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .start: cursor = 0
        case .end: cursor = characters.count
        case .wordLeft: cursor = wordStart(before: cursor)
        case .wordRight:
            var i = cursor
            while i < characters.count, characters[i] == " " { i += 1 }
            while i < characters.count, characters[i] != " " { i += 1 }
            cursor = i
        case .deleteBackward:
            if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 }
        case .deleteForward:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .deleteWordBackward:
            let start = wordStart(before: cursor)
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .deleteToStart:
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case .deleteToEnd:
            characters.removeSubrange(cursor..<characters.count)
        case .historyPrevious:
            guard !history.isEmpty else { return }
            if historyIndex == nil { draft = text; historyIndex = history.count }
            historyIndex = max(0, historyIndex! - 1)
            set(history[historyIndex!])
        case .historyNext:
            guard let i = historyIndex else { return }
            if i + 1 < history.count { historyIndex = i + 1; set(history[i + 1]) } else { historyIndex = nil; set(draft) }
        case .accept, .cancel, .complete: break
        }
    }

    private func wordStart(before index: Int) -> Int {
        var i = index
        while i > 0, characters[i - 1] == " " { i -= 1 }
        while i > 0, characters[i - 1] != " " { i -= 1 }
        return i
    }

    /// The visible part of the line in `columns` and the cursor's column within it, scrolled so
    /// the cursor is always shown.
    public func visible(columns: Int) -> (text: String, cursorColumn: Int) {
        guard columns > 1 else { return ("", 0) }
        var start = 0
        func width(_ from: Int, _ to: Int) -> Int {
            characters[from..<to].reduce(0) { $0 + DisplayWidth.of($1) }
        }
        while width(start, cursor) > columns - 1 { start += 1 }
        var end = cursor, used = width(start, cursor)
        while end < characters.count, used + DisplayWidth.of(characters[end]) <= columns - 1 {
            used += DisplayWidth.of(characters[end])
            end += 1
        }
        return (String(characters[start..<end]), width(start, cursor))
    }
}

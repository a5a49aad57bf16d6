/// Error messages quote text taken from files (tensor names, JSON keys, token contents, paths). A
/// hostile file could put line breaks or terminal escape sequences there; messages escape them so
/// every error stays one printable line.
public enum OneLineText {
    /// `text` with newlines, tabs and other control characters spelled out (`\n`, `\t`, `\x1B`,
    /// `\u{0085}`), exactly as `TokenDisplayText` shows tokens; everything else unchanged.
    public static func escaped(_ text: String) -> String {
        TokenDisplayText.render(Array(text.utf8))
    }

    /// A message of several lines (a usage error), each line escaped as `escaped` does: a value a user
    /// typed cannot move the cursor, recolour or clear the terminal it is echoed to.
    public static func escapedLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }.joined(separator: "\n")
    }
}

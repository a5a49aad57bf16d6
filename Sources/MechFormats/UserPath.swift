import Foundation

/// A path the user typed, as a file URL that names exactly that path. Foundation's
/// `URL(fileURLWithPath:)` replaces a leading `~` with the account's home directory, but a `~` that
/// reaches the program was quoted past the shell, so it is a file or folder named `~` in the current
/// directory and stays one.
public enum UserPath {
    public static func url(_ path: String) -> URL {
        URL(fileURLWithPath: path.hasPrefix("~") ? "./" + path : path)
    }

    /// A path typed where no shell has expanded it (the explorer's `:export FILE`): a leading `~/`, or
    /// `~` alone, is the home folder ($HOME), as in vim's `:w ~/notes.txt`.
    public static func url(typedAtPrompt path: String,
                           home: String? = ProcessInfo.processInfo.environment["HOME"]) -> URL {
        guard let home, !home.isEmpty, path == "~" || path.hasPrefix("~/") else { return url(path) }
        return URL(fileURLWithPath: home + path.dropFirst())
    }
}

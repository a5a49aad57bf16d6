import Foundation

/// A path the user typed, as a file URL that names exactly that path. Foundation's
/// `URL(fileURLWithPath:)` replaces a leading `~` with the account's home directory, but a `~` that
/// reaches the program was quoted past the shell, so it is a file or folder named `~` in the current
/// directory and stays one.
public enum UserPath {
    public static func url(_ path: String) -> URL {
        URL(fileURLWithPath: path.hasPrefix("~") ? "./" + path : path)
    }
}

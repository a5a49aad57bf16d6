import Foundation
import MechFormats

/// The themes a user can name: the files in a `themes/` folder (`NAME.theme`), plus the built-in
/// dark theme when there is no folder. Older names stay valid as aliases.
public struct ThemeCatalog: Sendable {
    /// The folder of `.theme` files, if one was found.
    public let folder: URL?

    /// Names of earlier releases, and what they are called now.
    public static let aliases = ["default": "dark", "paper": "light", "contrast": "high-contrast"]

    public init(folder: URL?) { self.folder = folder }

    /// The themes available by name, sorted.
    public var names: [String] {
        guard let folder, let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            return [Theme.dark.name]
        }
        let names = files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(".theme".count)) }
        return Array(Set(names + [Theme.dark.name])).sorted()
    }

    /// Loads a theme by name (or alias) from the folder, or from a file path (anything with a "/"
    /// or ending in `.theme`). The built-in dark theme needs no file.
    public func load(_ nameOrPath: String) throws -> ThemeFile.Loaded {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
            return try ThemeFile.load(UserPath.url(nameOrPath))
        }
        let name = Self.aliases[nameOrPath] ?? nameOrPath
        if let folder {
            let file = folder.appendingPathComponent("\(name).theme")
            if FileManager.default.fileExists(atPath: file.path) { return try ThemeFile.load(file) }
        }
        if name == Theme.dark.name { return ThemeFile.Loaded(theme: .dark, warnings: []) }
        throw ThemeFileError.notFound(name: nameOrPath, available: names)
    }
}

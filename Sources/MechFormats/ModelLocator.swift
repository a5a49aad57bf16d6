import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A model folder found from what the user typed, and where it came from (shown in the UI).
public struct LocatedModel: Equatable, Sendable {
    /// How the folder was found.
    public enum Source: Equatable, Sendable {
        /// The user passed a folder path.
        case folder
        /// A Hugging Face hub id resolved in the local cache, with the snapshot revision used.
        case hubCache(repoID: String, revision: String)
    }

    /// The folder holding config.json and the weights.
    public let folder: URL
    /// How the folder was found.
    public let source: Source
}

/// Turns a MODEL argument into a folder: an existing folder path, or a Hugging Face hub id (`gpt2`,
/// `org/name`) looked up ONLY in the local hub cache. mechscope never touches the network.
public struct ModelLocator: Sendable {
    /// Environment variables consulted (`HF_HUB_CACHE`, `HF_HOME`, `HOME`); injectable for tests.
    public let environment: [String: String]
    /// Directory relative paths are resolved against.
    public let currentDirectory: URL

    /// A locator reading `environment` and resolving relative paths against `currentDirectory`;
    /// tests pass a dictionary and a temporary directory.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.environment = environment
        self.currentDirectory = currentDirectory
    }

    /// The hub cache root: `$HF_HUB_CACHE`, else `$HF_HOME/hub`, else `~/.cache/huggingface/hub`.
    public var hubCacheDirectory: URL {
        if let cache = environment["HF_HUB_CACHE"], !cache.isEmpty {
            return URL(fileURLWithPath: expandTilde(cache), isDirectory: true)
        }
        if let home = environment["HF_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: expandTilde(home), isDirectory: true).appendingPathComponent("hub")
        }
        return URL(fileURLWithPath: homeDirectory, isDirectory: true)
            .appendingPathComponent(".cache/huggingface/hub", isDirectory: true)
    }

    /// Resolves `model`: an existing path must be a folder with config.json; otherwise a well-formed
    /// hub id is looked up in the cache, preferring the `refs/main` revision, else the newest snapshot.
    public func locate(_ model: String) throws -> LocatedModel {
        // A `~` here was quoted past the shell: it names a folder called `~`, as for any other command.
        let url = model.hasPrefix("/")
            ? URL(fileURLWithPath: model)
            : currentDirectory.appendingPathComponent(model)
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false

        if fileManager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw FormatError.modelPathNotFound(path: url.path) }
            // A folder that cannot be searched hides its config.json: say so rather than "no config.json".
            var status = stat()
            let config = url.appendingPathComponent("config.json").path
            if stat(config, &status) != 0 && errno != ENOENT {
                throw FormatError.cannotOpen(path: url.path, reason: FileBytes.reason(errno))
            }
            guard fileManager.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
                throw FormatError.modelFolderWithoutConfig(folder: url.path)
            }
            return LocatedModel(folder: url.standardizedFileURL, source: .folder)
        }
        guard Self.isHubID(model) else { throw FormatError.modelPathNotFound(path: url.path) }
        return try locateInHubCache(model)
    }

    /// Whether `text` has the shape of a hub id: `name` or `org/name`, each part of letters, digits, `-_.`.
    public static func isHubID(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && !part.contains("--")
                && part.unicodeScalars.allSatisfy { scalar in
                    scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar))
                }
        }
    }

    private func locateInHubCache(_ repoID: String) throws -> LocatedModel {
        let repoFolder = hubCacheDirectory
            .appendingPathComponent("models--" + repoID.replacingOccurrences(of: "/", with: "--"), isDirectory: true)
        let snapshots = repoFolder.appendingPathComponent("snapshots", isDirectory: true)
        let fileManager = FileManager.default

        func hasConfig(_ revision: String) -> Bool {
            fileManager.fileExists(atPath: snapshots.appendingPathComponent(revision)
                .appendingPathComponent("config.json").path)
        }

        let refURL = repoFolder.appendingPathComponent("refs/main")
        if let ref = try? String(contentsOf: refURL, encoding: .utf8) {
            let revision = ref.trimmingCharacters(in: .whitespacesAndNewlines)
            if !revision.isEmpty, !revision.contains("/"), hasConfig(revision) {
                return LocatedModel(folder: snapshots.appendingPathComponent(revision, isDirectory: true),
                                    source: .hubCache(repoID: repoID, revision: revision))
            }
        }

        let candidates = ((try? fileManager.contentsOfDirectory(atPath: snapshots.path)) ?? [])
            .filter(hasConfig)
            .map { revision -> (revision: String, modified: Date) in
                let attributes = try? fileManager.attributesOfItem(atPath: snapshots.appendingPathComponent(revision).path)
                return (revision, (attributes?[.modificationDate] as? Date) ?? .distantPast)
            }
        guard let newest = candidates.max(by: { ($0.modified, $0.revision) < ($1.modified, $1.revision) }) else {
            throw FormatError.modelNotInHubCache(repoID: repoID, searched: snapshots.path)
        }
        return LocatedModel(folder: snapshots.appendingPathComponent(newest.revision, isDirectory: true),
                            source: .hubCache(repoID: repoID, revision: newest.revision))
    }

    private var homeDirectory: String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    private func expandTilde(_ path: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return homeDirectory + path.dropFirst(1) }
        return path
    }
}

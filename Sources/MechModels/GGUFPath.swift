import Foundation

/// Whether a MODEL argument names a GGUF file: an existing regular file whose name ends in `.gguf`.
/// (A folder, a hub id or anything else goes to `ModelLocator`, whose errors say what was looked for.)
enum GGUFPath {
    static func file(_ spec: String) -> URL? {
        guard spec.lowercased().hasSuffix(".gguf") else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return URL(fileURLWithPath: spec)
    }
}

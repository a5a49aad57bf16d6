import Foundation
import MechFormats

/// Whether a MODEL argument names a GGUF file: an existing file whose name ends in `.gguf`, or a folder
/// without `config.json` that holds exactly one. (Anything else goes to `ModelLocator`, whose errors say
/// what was looked for.)
enum GGUFPath {
    static func file(_ spec: String) throws -> URL? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory) else { return nil }
        let url = UserPath.url(spec)
        guard isDirectory.boolValue else { return spec.lowercased().hasSuffix(".gguf") ? url : nil }
        guard !FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path),
              let names = try? FileManager.default.contentsOfDirectory(atPath: spec) else { return nil }
        let ggufs = names.filter { $0.lowercased().hasSuffix(".gguf") }.sorted()
        switch ggufs.count {
        case 0: return nil
        case 1: return url.appendingPathComponent(ggufs[0])
        default: throw GGUFModelError.severalFiles(folder: url.path, names: ggufs)
        }
    }
}

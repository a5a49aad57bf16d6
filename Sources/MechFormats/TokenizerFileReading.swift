import Foundation

/// Reads tokenizer files from disk, turning every failure into a `TokenizerError` naming the file.
enum TokenizerFileReading {
    static func fileExists(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    static func bytes(of url: URL) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw TokenizerError.unreadableFile(path: url.path, reason: reason)
        }
    }

    static func json(at url: URL) throws -> TokenizerJSONValue {
        try TokenizerJSONParser.parse(try bytes(of: url), path: url.path)
    }

    /// A file as UTF-8 text; invalid UTF-8 is an error naming the file.
    static func text(of url: URL) throws -> String {
        let raw = try bytes(of: url)
        let text = String(decoding: raw, as: UTF8.self)
        guard text.utf8.elementsEqual(raw) else {
            throw TokenizerError.invalidContent(path: url.path, problem: "file is not valid UTF-8")
        }
        return text
    }
}

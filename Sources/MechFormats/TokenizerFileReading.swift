import Foundation

/// Reads tokenizer files from disk, turning every failure into a `TokenizerError` naming the file.
enum TokenizerFileReading {
    static func fileExists(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    static func contents(of url: URL) throws -> Data {
        do {
            return try FileBytes.read(url)
        } catch let error as FormatError {
            switch error {
            case .cannotOpen(_, let reason): throw TokenizerError.unreadableFile(path: url.path, reason: reason)
            default: throw TokenizerError.unreadableFile(path: url.path, reason: "it is \(FileKind.describe(url.path)), not a regular file")
            }
        }
    }

    /// The file parsed as JSON with exact keys, every member kept in file order and repeated keys
    /// allowed (lookups see the last), as Hugging Face's `tokenizers` reads them.
    static func json(at url: URL) throws -> JSONValue {
        let data = try contents(of: url)
        do {
            return try JSONParser.parse(data, duplicateKeys: .keepAll)
        } catch let error as JSONSyntaxError {
            throw TokenizerError.malformedJSON(path: url.path, byteOffset: error.offset, problem: error.message)
        }
    }

    /// A file as UTF-8 text; invalid UTF-8 is an error naming the file.
    static func text(of url: URL) throws -> String {
        let raw = try contents(of: url)
        let text = String(decoding: raw, as: UTF8.self)
        guard text.utf8.elementsEqual(raw) else {
            throw TokenizerError.invalidContent(path: url.path, problem: "file is not valid UTF-8")
        }
        return text
    }
}

import Foundation
import MechTestSupport
@testable import MechFormats

/// Locates and reads the tokenizer goldens written by Tests/golden/make_tokenizer_goldens.py.
enum TokenizerGoldenFixtures {
    static let directory = GoldenFixtures.root.appendingPathComponent("tokenizers")

    static func folder(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// cases.json, parsed with the exact-string parser so expected texts keep their exact scalars.
    static func cases() throws -> JSONValue {
        try TokenizerFileReading.json(at: directory.appendingPathComponent("cases.json"))
    }

    /// A fresh temporary folder holding copies of `files` from the golden folder `name`.
    static func copy(_ files: [String], from name: String) throws -> URL {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("mechscope-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        for file in files {
            let source = folder(name).appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: source.path) else { continue }
            try FileManager.default.copyItem(at: source, to: target.appendingPathComponent(file))
        }
        return target
    }

    /// A fresh temporary folder containing one file with the given text.
    static func folder(containing file: String, text: String) throws -> URL {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent("mechscope-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target.appendingPathComponent(file))
        return target
    }
}

extension JSONValue {
    /// Test helper: an array of integers.
    var intArray: [Int]? { arrayValue?.compactMap(\.intValue) }
    /// Test helper: an array of strings.
    var stringArray: [String]? { arrayValue?.compactMap(\.stringValue) }
}

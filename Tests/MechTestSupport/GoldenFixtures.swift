import Foundation
import XCTest

/// Where the committed reference files live (Tests/golden, samples/), and the per-prompt cases
/// made by Tests/golden/make_goldens.py with Hugging Face `transformers`.
public enum GoldenFixtures {
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let root = repositoryRoot.appendingPathComponent("Tests/golden")

    public static func modelFolder(_ name: String) -> URL { root.appendingPathComponent("models/\(name)") }
    public static func sampleFolder(_ name: String) -> URL { repositoryRoot.appendingPathComponent("samples/\(name)") }
    public static func analysis(_ path: String) -> URL { root.appendingPathComponent("analysis/\(path)") }

    /// The recorded cases of one model: (case folder, meta). Fails the calling test unless exactly
    /// `expected` cases were found, so a loop over them can never pass on zero cases.
    public static func cases(of model: String, expected: Int,
                             file: StaticString = #filePath, line: UInt = #line) throws -> [(URL, Meta)] {
        let dir = root.appendingPathComponent("cases/\(model)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        let found: [(URL, Meta)] = try names.compactMap { name in
            let folder = dir.appendingPathComponent(name)
            let metaURL = folder.appendingPathComponent("meta.json")
            guard FileManager.default.fileExists(atPath: metaURL.path) else { return nil }
            return (folder, try JSONDecoder().decode(Meta.self, from: Data(contentsOf: metaURL)))
        }
        XCTAssertEqual(found.count, expected, "\(model): golden cases read", file: file, line: line)
        return found
    }

    /// One case folder's meta.json.
    public static func meta(_ model: String, _ caseName: String) throws -> Meta {
        let url = root.appendingPathComponent("cases/\(model)/\(caseName)/meta.json")
        return try JSONDecoder().decode(Meta.self, from: Data(contentsOf: url))
    }

    public struct Meta: Decodable {
        public let prompt: String
        public let token_ids: [Int]
        /// BERT's segment ids, when the case recorded them (encoder goldens).
        public let token_type_ids: [Int]?
        public let tokens: [String]
        public let hooks: [String]
        /// Present when each file holds only these positions' rows (long prompts): the first axis
        /// of [pos, …] hooks, the query axis of [head, query, key] hooks; keys stay complete.
        public let positions: [Int]?
    }
}

import Foundation
import MechAnalysis
import MechModels
import MechTestSupport
@testable import MechTUI

/// The bundled samples, opened once per test process.
enum SampleSessions {
    static let repositoryRoot = GoldenFixtures.repositoryRoot

    static func folder(_ name: String) -> URL { GoldenFixtures.sampleFolder(name) }

    nonisolated(unsafe) private static var opened: [String: AnalysisSession] = [:]
    private static let lock = NSLock()

    static func session(_ name: String) throws -> AnalysisSession {
        lock.lock()
        defer { lock.unlock() }
        if let s = opened[name] { return s }
        let s = AnalysisSession(model: try LoadedModel(folder: folder(name)))
        opened[name] = s
        return s
    }

    static let inductionPrompt = "My friend Bartholomew Fizzlewick lives in Oslo. Yesterday Bartholomew Fizzlewick"
}

/// A vocabulary for core tests that need no model: "#N" and single words map to ids.
struct TestVocabulary: TokenVocabulary {
    func resolve(_ text: String) throws -> Int {
        if text.hasPrefix("#"), let id = Int(text.dropFirst()) { return id }
        struct NotOne: Error, CustomStringConvertible { let description: String }
        throw NotOne(description: "'\(text)' is not one token")
    }
    func display(_ id: Int) -> String { "tok\(id)" }
}

extension ExplorerState {
    /// A state for a model of the given shape, with no run yet.
    static func test(layers: Int = 2, heads: Int = 4, dMLP: Int = 0, width: Int = 100, height: Int = 30) -> ExplorerState {
        let config = TransformerConfig(modelType: "mechscope_transformer", nLayers: layers, dModel: 16 * heads,
                                       nHeads: heads, dMLP: dMLP, nContext: 64, vocabSize: 100, attnOnly: dMLP == 0,
                                       bosTokenID: 0)   // B toggles BOS (a model without one refuses B)
        return ExplorerState(width: width, height: height, model: ModelSummary(name: "test", config: config),
                             vocabulary: TestVocabulary(), prompt: "hello", prependBOS: false)
    }
}

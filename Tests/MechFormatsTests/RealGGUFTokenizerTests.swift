import Foundation
import XCTest
import MechTestSupport
@testable import MechFormats

/// The tokenizer built from the real SmolLM2-135M-Instruct GGUF's metadata gives the ids `transformers`
/// gives with the tokenizer it builds from the same file, on the tokenizer goldens' hard strings and the
/// samples' prompts (Tests/golden/make_real_smollm2_tokenizer_goldens.py).
final class RealGGUFTokenizerTests: XCTestCase {
    func testSmolLM2TokenizerFromGGUFMatchesTransformers() throws {
        let url = try RealModels.require(RealModels.smolLM2GGUF)
        let golden = try GoldenJSON.object(at: GoldenFixtures.root.appendingPathComponent("real/smollm2-135m-instruct-tokenizer.json"))
        let tokenizer = try Tokenizer(gguf: try GGUFFile(url: url))
        let cases = golden["cases"] as! [[String: Any]]
        XCTAssertEqual(cases.count, 109)
        var exact = 0, decodedExact = 0
        for c in cases {
            let text = c["text"] as! String
            let ids = try tokenizer.encode(text)
            XCTAssertEqual(ids, GoldenJSON.ints(c["ids"]), text.debugDescription)
            if ids == GoldenJSON.ints(c["ids"]) { exact += 1 }
            if tokenizer.decode(ids).unicodeScalars.elementsEqual((c["decoded"] as! String).unicodeScalars) { decodedExact += 1 }
        }
        XCTAssertEqual(exact, cases.count)
        XCTAssertEqual(decodedExact, cases.count)
        XCTAssertEqual(tokenizer.vocabSize, 49152)
        XCTAssertEqual(tokenizer.bosTokenID, 1)
        XCTAssertEqual(tokenizer.eosTokenID, 2)
    }

    func testATokenizerModelNotYetSupportedIsOneLine() throws {
        let url = GoldenFixtures.root.appendingPathComponent("gguf/metadata-and-types.gguf")
        XCTAssertThrowsError(try Tokenizer(gguf: try GGUFFile(url: url))) { error in
            XCTAssertEqual("\(error)", "\(url.path): metadata 'tokenizer.ggml.model' is missing or not a string")
        }
    }
}

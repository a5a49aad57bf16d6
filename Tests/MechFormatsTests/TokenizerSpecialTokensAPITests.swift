import Foundation
import XCTest
@testable import MechFormats

/// "Encode as the model was trained" (`addSpecialTokens: true`) against raw encoding, and how tokens of
/// the new decoders read in the UI. Expected ids come from the family goldens' `tokenizer.json` files.
final class TokenizerSpecialTokensAPITests: XCTestCase {
    private func family(_ name: String) throws -> Tokenizer {
        try Tokenizer(folder: FamilyTokenizerGoldenTests.directory.appendingPathComponent(name))
    }

    func testTemplatesAddBOSOrCLSAndSEPOnlyWhenAsked() throws {
        let llama3 = try family("llama3")
        let bos = try XCTUnwrap(llama3.id(of: "<|begin_of_text|>"))
        XCTAssertEqual(llama3.bosTokenID, bos)
        XCTAssertTrue(llama3.addsSpecialTokens)
        let raw = try llama3.encode("hello world")
        XCTAssertEqual(try llama3.encode("hello world", addSpecialTokens: true), [bos] + raw)
        XCTAssertEqual(try llama3.encode("hello world", addSpecialTokens: false), raw)
        XCTAssertEqual(try llama3.encode("", addSpecialTokens: true), [bos])

        let bert = try family("bert")
        let cls = try XCTUnwrap(bert.id(of: "[CLS]"))
        let sep = try XCTUnwrap(bert.id(of: "[SEP]"))
        let words = try bert.encode("Hello world")
        XCTAssertEqual(try bert.encode("Hello world", addSpecialTokens: true), [cls] + words + [sep])
        XCTAssertEqual(try bert.encode("Hello", pairedWith: "world", addSpecialTokens: true),
                       [cls] + (try bert.encode("Hello")) + [sep] + (try bert.encode("world")) + [sep])
    }

    /// What each template puts around one text, as `encode(_:addSpecialTokens: true)` places it.
    func testSpecialTokensAroundOneText() throws {
        let expected: [(family: String, leading: [String], trailing: [String])] = [
            ("llama2", ["<s>"], []), ("llama3", ["<|begin_of_text|>"], []), ("bert", ["[CLS]"], ["[SEP]"]),
            ("roberta", ["<s>"], ["</s>"]), ("components", ["[BOS]"], ["[EOS]"]), ("pythia", [], []), ("qwen2", [], []),
        ]
        for (name, leading, trailing) in expected {
            let tokenizer = try family(name)
            let around = tokenizer.specialTokensAroundText
            XCTAssertEqual(around.leading, try leading.map { try XCTUnwrap(tokenizer.id(of: $0)) }, name)
            XCTAssertEqual(around.trailing, try trailing.map { try XCTUnwrap(tokenizer.id(of: $0)) }, name)
            let text = try tokenizer.encode("Hello world")
            XCTAssertEqual(try tokenizer.encode("Hello world", addSpecialTokens: true), around.leading + text + around.trailing, name)
        }
    }

    func testFilesWithoutPostProcessorAddNothing() throws {
        let gpt2 = try Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-gpt2style"))
        XCTAssertFalse(gpt2.addsSpecialTokens, "a ByteLevel post-processor only trims offsets")
        XCTAssertEqual(try gpt2.encode("hello world", addSpecialTokens: true), try gpt2.encode("hello world"))
        XCTAssertEqual(try gpt2.encode("a", pairedWith: "b", addSpecialTokens: true), try gpt2.encode("a") + gpt2.encode("b"))
    }

    func testDisplayTextOfMetaspaceByteFallbackAndWordPieceTokens() throws {
        let llama2 = try family("llama2")
        XCTAssertEqual(llama2.displayText(of: try XCTUnwrap(llama2.id(of: "<0x0A>"))), "\\n")
        XCTAssertEqual(llama2.displayText(of: try XCTUnwrap(llama2.id(of: "<0xE4>"))), "\\xE4")
        XCTAssertEqual(llama2.displayText(of: try XCTUnwrap(llama2.id(of: "▁a"))), " a")
        XCTAssertEqual(llama2.decode(try llama2.encode("hello\nworld", addSpecialTokens: true), skipSpecialTokens: true), "hello\nworld")
        let bert = try family("bert")
        XCTAssertEqual(bert.displayText(of: try XCTUnwrap(bert.id(of: "##ing"))), "ing")
    }
}

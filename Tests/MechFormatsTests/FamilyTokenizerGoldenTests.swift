import Foundation
import XCTest
@testable import MechFormats

/// The family-style tokenizers of Tests/golden/make_family_tokenizer_goldens.py (Llama-3, Qwen2,
/// GPT-4o-style, SmolLM2, Pythia, Llama-2, legacy Mistral, BERT, RoBERTa and a pipeline of the other
/// components) must give `tokenizers`' exact ids with and without special tokens, pair ids, vocabulary
/// strings and decoded text on every hard input.
final class FamilyTokenizerGoldenTests: XCTestCase {
    static let directory = TokenizerGoldenFixtures.directory.appendingPathComponent("families")
    static let familyNames = ["llama3", "qwen2", "o200k", "smollm2", "pythia", "llama2", "mistral-legacy", "bert",
                              "roberta", "components"]
    private static let casesPerFamily = 90
    private static let pairsPerFamily = 4

    func testLlama3SplitRegexByteLevelAndBOSTemplate() throws { try assertFamily("llama3") }
    func testQwen2NFCAndSingleDigitSplit() throws { try assertFamily("qwen2") }
    func testGPT4oStyleCaseClassSplit() throws { try assertFamily("o200k") }
    func testSmolLM2IndividualDigitsAndByteLevel() throws { try assertFamily("smollm2") }
    func testPythiaNFCByteLevelPostProcessor() throws { try assertFamily("pythia") }
    func testLlama2MetaspaceByteFallbackAndDecoderChain() throws { try assertFamily("llama2") }
    func testLegacyMistralPrependReplaceNormalizers() throws { try assertFamily("mistral-legacy") }
    func testBERTWordPieceNormalizerPreTokenizerAndProcessing() throws { try assertFamily("bert") }
    func testRobertaProcessingWithLStripMask() throws { try assertFamily("roberta") }
    func testComponentPipeline() throws { try assertFamily("components") }

    func testEveryFamilyHasAGoldenAndATest() throws {
        let golden = try Self.cases()
        XCTAssertEqual(Set(try XCTUnwrap(golden["tokenizers"]?.objectMembers?.keys)), Set(Self.familyNames))
    }

    /// The trimmed copies that seed the tokenizer-json fuzzer must load and encode, so the fuzzer
    /// starts from valid files using every component.
    func testFuzzSeedCopiesLoadAndEncode() throws {
        let folder = Self.directory.appendingPathComponent("fuzz-seeds")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("tokenizer-") }.sorted()
        XCTAssertEqual(names, Self.familyNames.sorted().map { "tokenizer-\($0).json" })
        for name in names {
            let tokenizer = try Tokenizer(tokenizerJSON: folder.appendingPathComponent(name))
            let ids = try tokenizer.encode("Hello  world!\n\tcafé 日本語 🙂 123 <s> [CLS]", addSpecialTokens: true)
            XCTAssertFalse(ids.isEmpty, name)
            XCTAssertLessThan(try Data(contentsOf: folder.appendingPathComponent(name)).count, 16_384, name)
        }
    }

    static func cases() throws -> JSONValue {
        try TokenizerFileReading.json(at: directory.appendingPathComponent("cases.json"))
    }

    private func assertFamily(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let tokenizer = try Tokenizer(folder: Self.directory.appendingPathComponent(name))
        let golden = try XCTUnwrap(Self.cases()["tokenizers"]?[name], "no goldens for \(name)")
        XCTAssertEqual(tokenizer.vocabSize, golden["vocab_size"]?.intValue, "\(name) vocab size", file: file, line: line)
        let cases = try XCTUnwrap(golden["cases"]?.arrayValue)
        XCTAssertEqual(cases.count, Self.casesPerFamily, "\(name): cases read", file: file, line: line)
        var failures = 0
        for testCase in cases {
            let text = try XCTUnwrap(testCase["text"]?.stringValue)
            let label = "\(name) \(text.debugDescription.prefix(60))"
            let expectedIDs = try XCTUnwrap(testCase["ids"]?.intArray)
            let expectedFull = try XCTUnwrap(testCase["ids_with_special_tokens"]?.intArray)
            let ids = try tokenizer.encode(text)
            let full = try tokenizer.encode(text, addSpecialTokens: true)
            if ids != expectedIDs { failures += 1 }
            XCTAssertEqual(ids, expectedIDs, "ids of \(label)", file: file, line: line)
            XCTAssertEqual(full, expectedFull, "ids with special tokens of \(label)", file: file, line: line)
            XCTAssertEqual(try tokenizer.encode(text, addSpecialTokens: false), expectedIDs, file: file, line: line)
            assertScalars(tokenizer.tokens(expectedIDs), try XCTUnwrap(testCase["tokens"]?.stringArray), "tokens of \(label)", file, line)
            assertScalars([tokenizer.decode(expectedIDs)], [try XCTUnwrap(testCase["decoded"]?.stringValue)], "decode of \(label)", file, line)
            assertScalars([tokenizer.decode(expectedFull)], [try XCTUnwrap(testCase["decoded_with_special_tokens"]?.stringValue)],
                          "decode with special tokens of \(label)", file, line)
            assertScalars([tokenizer.decode(expectedFull, skipSpecialTokens: true)],
                          [try XCTUnwrap(testCase["decoded_skipping_special"]?.stringValue)], "decode skipping special of \(label)", file, line)
        }
        let pairs = try XCTUnwrap(golden["pairs"]?.arrayValue)
        XCTAssertEqual(pairs.count, Self.pairsPerFamily, "\(name): pairs read", file: file, line: line)
        for pair in pairs {
            let first = try XCTUnwrap(pair["first"]?.stringValue)
            let second = try XCTUnwrap(pair["second"]?.stringValue)
            XCTAssertEqual(try tokenizer.encode(first, pairedWith: second, addSpecialTokens: true), pair["ids"]?.intArray,
                           "\(name) pair \(first) / \(second)", file: file, line: line)
            XCTAssertEqual(try tokenizer.encode(first, pairedWith: second, addSpecialTokens: false),
                           pair["ids_without_special_tokens"]?.intArray, "\(name) raw pair", file: file, line: line)
        }
    }

    private func assertScalars(_ actual: [String], _ expected: [String], _ message: String, _ file: StaticString, _ line: UInt) {
        XCTAssertEqual(actual.map { $0.unicodeScalars.map(\.value) }, expected.map { $0.unicodeScalars.map(\.value) },
                       "\(message): got \(actual.debugDescription.prefix(200)) expected \(expected.debugDescription.prefix(200))",
                       file: file, line: line)
    }
}

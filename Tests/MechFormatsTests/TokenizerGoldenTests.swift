import Foundation
import XCTest
@testable import MechFormats

/// Every tokenizer and input in Tests/golden/tokenizers/cases.json must give Hugging Face's exact
/// ids, vocabulary strings and decoded text, whichever file format the tokenizer is loaded from.
final class TokenizerGoldenTests: XCTestCase {
    private static let vocabMergesFiles = ["vocab.json", "merges.txt", "tokenizer_config.json"]

    func testGPT2StyleFromTokenizerJSON() throws {
        try assertMatchesGoldens("bpe-gpt2style", Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-gpt2style")))
    }

    func testGPT2StyleFromVocabAndMerges() throws {
        let folder = try TokenizerGoldenFixtures.copy(Self.vocabMergesFiles, from: "bpe-gpt2style")
        defer { try? FileManager.default.removeItem(at: folder) }
        try assertMatchesGoldens("bpe-gpt2style", Tokenizer(folder: folder))
    }

    func testPrefixSpaceWithLegacyMergeStringsFromTokenizerJSON() throws {
        try assertMatchesGoldens("bpe-prefix", Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-prefix")))
    }

    func testPrefixSpaceFromVocabMergesAndTokenizerConfig() throws {
        let folder = try TokenizerGoldenFixtures.copy(Self.vocabMergesFiles, from: "bpe-prefix")
        defer { try? FileManager.default.removeItem(at: folder) }
        try assertMatchesGoldens("bpe-prefix", Tokenizer(folder: folder))
    }

    func testPrefixSpaceFromExplicitVocabAndMergesFiles() throws {
        let folder = TokenizerGoldenFixtures.folder("bpe-prefix")
        let tokenizer = try Tokenizer(vocabJSON: folder.appendingPathComponent("vocab.json"),
                                      mergesTXT: folder.appendingPathComponent("merges.txt"), addPrefixSpace: true)
        try assertMatchesGoldens("bpe-prefix", tokenizer)
    }

    func testWordLevelWithWhitespacePreTokenizer() throws {
        try assertMatchesGoldens("wordlevel", Tokenizer(folder: TokenizerGoldenFixtures.folder("wordlevel")))
    }

    func testWordLevelWithWhitespaceSplitSequence() throws {
        try assertMatchesGoldens("wordlevel-whitespacesplit",
                                 Tokenizer(folder: TokenizerGoldenFixtures.folder("wordlevel-whitespacesplit")))
    }

    /// NFKC comes from the toolchain's Unicode tables. Unicode's normalization stability policy fixes
    /// the NFKC of a string once all its characters are assigned, so these goldens hold on any
    /// toolchain whose tables know every input scalar (and Hugging Face's 16.0 tables know them too);
    /// that is checked first, so a toolchain too old fails here with the reason.
    func testAddedTokenFlagsAndNFKCNormalizer() throws {
        let cases = try XCTUnwrap(TokenizerGoldenFixtures.cases()["tokenizers"]?["bpe-added-tokens"]?["cases"]?.arrayValue)
        var newest = (major: 0, minor: 0)
        for text in cases.compactMap({ $0["text"]?.stringValue }) {
            for scalar in text.unicodeScalars {
                let age = try XCTUnwrap(scalar.properties.age, "U+\(String(scalar.value, radix: 16, uppercase: true)) is "
                                        + "unassigned in this toolchain's Unicode tables: its NFKC is not fixed yet")
                if (age.major, age.minor) > newest { newest = (age.major, age.minor) }
            }
        }
        XCTAssertLessThanOrEqual(newest.major, TokenizerScalarClasses.huggingFaceUnicodeVersion.major)
        try assertMatchesGoldens("bpe-added-tokens", Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-added-tokens")))
    }

    func testBPEWithAffixesAndFusedUnknownToken() throws {
        try assertMatchesGoldens("bpe-affixes-unk", Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-affixes-unk")))
    }

    func testBPEWithByteFallbackAndIgnoreMerges() throws {
        try assertMatchesGoldens("bpe-byte-fallback", Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-byte-fallback")))
    }

    /// How many inputs and decode sequences cases.json holds for each tokenizer.
    private static let expectedCounts: [String: (cases: Int, decodeSequences: Int)] = [
        "bpe-gpt2style": (68, 1060), "bpe-prefix": (68, 0), "wordlevel": (75, 0), "wordlevel-whitespacesplit": (75, 0),
        "bpe-added-tokens": (81, 7), "bpe-affixes-unk": (68, 0), "bpe-byte-fallback": (68, 0),
    ]

    /// Runs every case recorded for `name` (and its decode sequences) through `tokenizer`.
    private func assertMatchesGoldens(_ name: String, _ tokenizer: Tokenizer,
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        let golden = try XCTUnwrap(TokenizerGoldenFixtures.cases()["tokenizers"]?[name], "no goldens for \(name)")
        XCTAssertEqual(tokenizer.vocabSize, golden["vocab_size"]?.intValue, "\(name) vocab size", file: file, line: line)
        let cases = try XCTUnwrap(golden["cases"]?.arrayValue)
        XCTAssertGreaterThan(cases.count, 60, file: file, line: line)
        let expected = try XCTUnwrap(Self.expectedCounts[name], "no expected counts for \(name)", file: file, line: line)
        XCTAssertEqual(cases.count, expected.cases, "\(name): cases read", file: file, line: line)
        var sequencesChecked = 0
        var checked = 0
        for testCase in cases {
            let text = try XCTUnwrap(testCase["text"]?.stringValue)
            let label = "\(name) \(text.debugDescription.prefix(80))"
            let expectedIDs = try XCTUnwrap(testCase["ids"]?.intArray)
            let ids = try tokenizer.encode(text)
            XCTAssertEqual(ids, expectedIDs, "ids of \(label)", file: file, line: line)
            assertSameScalars(tokenizer.tokens(expectedIDs), try XCTUnwrap(testCase["tokens"]?.stringArray),
                              "tokens of \(label)", file: file, line: line)
            assertSameScalars([tokenizer.decode(expectedIDs)], [try XCTUnwrap(testCase["decoded"]?.stringValue)],
                              "decode of \(label)", file: file, line: line)
            assertSameScalars([tokenizer.decode(expectedIDs, skipSpecialTokens: true)],
                              [try XCTUnwrap(testCase["decoded_skipping_special"]?.stringValue)],
                              "decode skipping special tokens of \(label)", file: file, line: line)
            checked += 1
        }
        for sequence in golden["decode_sequences"]?.arrayValue ?? [] {
            let ids = try XCTUnwrap(sequence["ids"]?.intArray)
            assertSameScalars([tokenizer.decode(ids)], [try XCTUnwrap(sequence["decoded"]?.stringValue)],
                              "\(name) decode of \(ids)", file: file, line: line)
            if let skipping = sequence["decoded_skipping_special"]?.stringValue {
                assertSameScalars([tokenizer.decode(ids, skipSpecialTokens: true)], [skipping],
                                  "\(name) decode skipping special of \(ids)", file: file, line: line)
            }
            sequencesChecked += 1
        }
        XCTAssertEqual(sequencesChecked, expected.decodeSequences, "\(name): decode sequences read", file: file, line: line)
        XCTAssertEqual(checked, cases.count, file: file, line: line)
    }

    /// Compares strings scalar by scalar (Swift's `==` would accept canonically equivalent text).
    private func assertSameScalars(_ actual: [String], _ expected: [String], _ message: String,
                                   file: StaticString, line: UInt) {
        let actualScalars = actual.map { $0.unicodeScalars.map(\.value) }
        let expectedScalars = expected.map { $0.unicodeScalars.map(\.value) }
        XCTAssertEqual(actualScalars, expectedScalars, "\(message): got \(actual.debugDescription.prefix(300))",
                       file: file, line: line)
    }
}

import Foundation
import XCTest
@testable import MechFormats

/// Single pre-tokenizers and normalizers, read from the JSON `tokenizers` serialises them to, must cut
/// and rewrite every hard input exactly as `pre_tokenize_str` / `normalize_str` (families/pieces.json).
final class TokenizerComponentGoldenTests: XCTestCase {
    private static let expectedTexts = 90
    private static let expectedPreTokenizers = 24
    private static let expectedNormalizers = 14

    private func pieces() throws -> JSONValue {
        try TokenizerFileReading.json(at: FamilyTokenizerGoldenTests.directory.appendingPathComponent("pieces.json"))
    }

    private let reader = TokenizerJSONReader(path: "pieces.json")

    func testPreTokenizerPieces() throws {
        let golden = try pieces()
        let texts = try XCTUnwrap(golden["texts"]?.stringArray)
        XCTAssertEqual(texts.count, Self.expectedTexts)
        let steps = try XCTUnwrap(golden["pre_tokenizers"]?.objectMembers)
        XCTAssertEqual(steps.count, Self.expectedPreTokenizers, "pre-tokenizers read")
        var compared = 0
        for (name, entry) in steps {
            let preTokenizers = try reader.readPreTokenizers(try XCTUnwrap(entry["json"]), at: name)
            let expected = try XCTUnwrap(entry["pieces"]?.arrayValue)
            XCTAssertEqual(expected.count, texts.count)
            for (text, pieces) in zip(texts, expected) {
                let actual = TokenizerPreTokenizer.apply(preTokenizers, to: text)
                let wanted = try XCTUnwrap(pieces.stringArray)
                XCTAssertEqual(actual.map { $0.unicodeScalars.map(\.value) }, wanted.map { $0.unicodeScalars.map(\.value) },
                               "\(name) on \(text.debugDescription.prefix(60)): got \(actual) expected \(wanted)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, Self.expectedTexts * Self.expectedPreTokenizers)
    }

    func testNormalizerOutputs() throws {
        let golden = try pieces()
        let texts = try XCTUnwrap(golden["texts"]?.stringArray)
        let steps = try XCTUnwrap(golden["normalizers"]?.objectMembers)
        XCTAssertEqual(steps.count, Self.expectedNormalizers, "normalizers read")
        var compared = 0
        for (name, entry) in steps {
            let normalizers = try reader.readNormalizers(try XCTUnwrap(entry["json"]), at: name)
            let expected = try XCTUnwrap(entry["outputs"]?.stringArray)
            XCTAssertEqual(expected.count, texts.count)
            for (text, wanted) in zip(texts, expected) {
                let actual = TokenizerNormalizer.apply(normalizers, to: text)
                XCTAssertEqual(actual.unicodeScalars.map(\.value), wanted.unicodeScalars.map(\.value),
                               "\(name) on \(text.debugDescription.prefix(60)): got \(actual.debugDescription) expected \(wanted.debugDescription)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, Self.expectedTexts * Self.expectedNormalizers)
    }

    /// BERT's punctuation, clean-text and accent classes for every Unicode scalar.
    func testBertScalarClassesForEveryScalar() throws {
        let golden = try TokenizerFileReading.json(at: TokenizerGoldenFixtures.directory.appendingPathComponent("bert_scalar_classes.json"))
        func set(_ key: String) throws -> Set<UInt32> {
            var result = Set<UInt32>()
            for range in try XCTUnwrap(golden[key]?.arrayValue) {
                let bounds = try XCTUnwrap(range.intArray)
                for value in bounds[0]...bounds[1] { result.insert(UInt32(value)) }
            }
            return result
        }
        let punctuation = try set("P")
        let removed = try set("R")
        let marks = try set("M")
        XCTAssertGreaterThan(punctuation.count, 500)
        var mismatches: [String: [String]] = [:]
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let hex = String(value, radix: 16, uppercase: true)
            if TokenizerScalarClasses.isWhitespace(scalar) == false,
               TokenizerScalarClasses.isBertPunctuation(scalar) != punctuation.contains(value) {
                mismatches["punctuation", default: []].append(hex)
            }
            if TokenizerScalarClasses.isRemovedByBertCleanText(scalar) != removed.contains(value) {
                mismatches["clean_text", default: []].append(hex)
            }
            let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
            if decomposed.count == 1 && decomposed.first == scalar,
               TokenizerScalarClasses.isBertNonspacingMark(scalar) != marks.contains(value) {
                mismatches["accent", default: []].append(hex)
            }
        }
        for (what, list) in mismatches.sorted(by: { $0.key < $1.key }) {
            XCTFail("\(what): \(list.count) scalars differ from tokenizers, e.g. \(list.prefix(20))")
        }
    }
}

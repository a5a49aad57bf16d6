import XCTest
@testable import MechFormats

/// The exact JSON parser behind tokenizer files: strings keep their scalars, errors carry offsets.
final class TokenizerJSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> TokenizerJSONValue {
        try TokenizerJSONParser.parse(Array(text.utf8), path: "test.json")
    }

    private func failure(_ bytes: [UInt8]) -> (offset: Int, problem: String)? {
        do {
            _ = try TokenizerJSONParser.parse(bytes, path: "test.json")
            return nil
        } catch TokenizerError.malformedJSON(let path, let offset, let problem) {
            XCTAssertEqual(path, "test.json")
            return (offset, problem)
        } catch {
            XCTFail("unexpected error \(error)")
            return nil
        }
    }

    func testCanonicallyEquivalentKeysStayDistinct() throws {
        let value = try parse(#"{"\u00e9": 0, "e\u0301": 1, "é": 2}"#)
        let vocabulary = try TokenizerJSONReader(path: "test.json").readVocabulary(value, section: "vocab")
        XCTAssertEqual(vocabulary.count, 2)
        XCTAssertEqual(vocabulary[ExactText("\u{E9}")], 2, "a repeated key keeps its last value")
        XCTAssertEqual(vocabulary[ExactText("e\u{301}")], 1)
        XCTAssertEqual(value["e\u{301}"]?.intValue, 1)
    }

    func testEscapesNumbersAndLiterals() throws {
        let value = try parse(#" {"s": "a\"\\\/\b\f\n\r\t\u0041\ud83d\ude00", "n": [-1, 0, 0.5, 1e3, 2E-1], "t": true, "f": false, "z": null} "#)
        XCTAssertEqual(value["s"]?.stringValue?.unicodeScalars.map(\.value),
                       "a\"\\/\u{8}\u{C}\n\r\tA😀".unicodeScalars.map(\.value))
        XCTAssertEqual(value["n"]?.arrayValue?.map(\.doubleValue), [-1, 0, 0.5, 1000, 0.2])
        XCTAssertEqual(value["n"]?.arrayValue?.first?.intValue, -1)
        XCTAssertEqual(value["t"]?.boolValue, true)
        XCTAssertEqual(value["f"]?.boolValue, false)
        XCTAssertEqual(value["z"]?.isNull, true)
        XCTAssertNil(value["missing"])
    }

    func testSyntaxErrorsReportOffsets() {
        XCTAssertEqual(failure(Array(#"{"a": 1} x"#.utf8))?.offset, 9)
        XCTAssertEqual(failure(Array(#"["\ud800"]"#.utf8))?.problem, "lone leading surrogate in \\u escape")
        XCTAssertEqual(failure(Array("[\"a\u{1}\"]".utf8))?.offset, 3)
        XCTAssertEqual(failure(Array(#"[01]"#.utf8))?.offset, 2)
        XCTAssertEqual(failure(Array(#"[tru]"#.utf8))?.offset, 1)
        XCTAssertEqual(failure([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])?.problem, "string is not valid UTF-8")
        XCTAssertEqual(failure(Array(repeating: UInt8(ascii: "["), count: 300))?.problem, "nesting deeper than 256 levels")
        XCTAssertEqual(failure([])?.problem, "unexpected end of file, expected a value")
    }
}

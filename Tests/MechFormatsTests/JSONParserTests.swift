import Foundation
import XCTest
@testable import MechFormats

/// The one strict JSON parser behind configs, safetensors headers and tokenizer files.
final class JSONParserTests: XCTestCase {
    private func parse(_ text: String, duplicateKeys: JSONParser.DuplicateKeys = .reject) throws -> JSONValue {
        try JSONParser.parse(Data(text.utf8), duplicateKeys: duplicateKeys)
    }

    private func assertSyntaxError(_ text: String, offset: Int, _ message: String, line: UInt = #line) {
        XCTAssertThrowsError(try parse(text), line: line) { error in
            XCTAssertEqual(error as? JSONSyntaxError, JSONSyntaxError(offset: offset, message: message), line: line)
        }
    }

    func testValuesKeepIntegersExact() throws {
        let value = try parse(#" {"a": 9007199254740993, "b": -0.5e1, "c": [true, false, null], "d": "x\"\u00e9\ud83d\ude00", "e": {}} "#)
        XCTAssertEqual(value, .object([
            "a": .integer(9_007_199_254_740_993),
            "b": .number(-5),
            "c": .array([.bool(true), .bool(false), .null]),
            "d": .string("x\"é😀"),
            "e": .object([:]),
        ]))
        XCTAssertEqual(try parse("1e2"), .number(100))
        XCTAssertEqual(try parse("99999999999999999999"), .number(1e20))
        XCTAssertEqual(try parse("9223372036854775807"), .integer(Int.max))
        XCTAssertEqual(try parse("-9223372036854775808"), .integer(Int.min))
        XCTAssertEqual(try parse("9223372036854775808"), .number(9_223_372_036_854_775_808.0))
        XCTAssertEqual(try parse("-0"), .integer(0))
        XCTAssertEqual(try parse("[-17, 0, 5.0]"), .array([.integer(-17), .integer(0), .number(5)]))
    }

    func testEscapesAndAccessors() throws {
        let value = try parse(#" {"s": "a\"\\\/\b\f\n\r\t\u0041\ud83d\ude00", "n": [-1, 0, 0.5, 1e3, 2E-1], "t": true, "f": false, "z": null} "#)
        XCTAssertEqual(value["s"]?.stringValue?.unicodeScalars.map(\.value),
                       "a\"\\/\u{8}\u{C}\n\r\tA😀".unicodeScalars.map(\.value))
        XCTAssertEqual(value["n"]?.arrayValue?.map(\.doubleValue), [-1, 0, 0.5, 1000, 0.2])
        XCTAssertEqual(value["n"]?.arrayValue?.first?.intValue, -1)
        XCTAssertEqual(value["n"]?.arrayValue?.map(\.typeName), ["integer", "integer", "number", "number", "number"])
        XCTAssertEqual(value["t"]?.boolValue, true)
        XCTAssertEqual(value["f"]?.boolValue, false)
        XCTAssertEqual(value["z"]?.isNull, true)
        XCTAssertEqual(value["t"]?.isNull, false)
        XCTAssertNil(value["missing"])
        XCTAssertNil(JSONValue.array([])["s"], "only objects have members")
        XCTAssertEqual(value.objectMembers?.keys, ["s", "n", "t", "f", "z"], "members stay in file order")
    }

    func testRejectsLenientSyntax() {
        assertSyntaxError("{\"a\":1,}", offset: 7, "expected a string key")
        assertSyntaxError("[1,]", offset: 3, "unexpected character ']'")
        assertSyntaxError("{\"a\":1,\"a\":2}", offset: 7, "duplicate key \"a\"")
        assertSyntaxError("012", offset: 1, "leading zero in number")
        assertSyntaxError("[01]", offset: 2, "leading zero in number")
        assertSyntaxError("{} x", offset: 3, "unexpected data after the JSON value")
        assertSyntaxError("\"ab", offset: 0, "unterminated string")
        assertSyntaxError("[\"\\ud800\"]", offset: 2, "unpaired UTF-16 surrogate in \\u escape")
        assertSyntaxError("\"\\udc00\"", offset: 1, "unpaired UTF-16 surrogate in \\u escape")
        assertSyntaxError("\"a\\ud800\\u0041\"", offset: 2, "invalid UTF-16 low surrogate")
        assertSyntaxError("\"\\u00g0\"", offset: 1, "invalid hex digit 'g' in \\u escape")
        assertSyntaxError("\"\\q\"", offset: 1, "invalid escape \\'q'")
        assertSyntaxError("tru", offset: 3, "invalid literal (expected true)")
        assertSyntaxError("[tru]", offset: 4, "invalid literal (expected true)")
        assertSyntaxError("1e999", offset: 0, "number 1e999 is out of range")
        assertSyntaxError("[1.]", offset: 3, "expected a digit after '.'")
        assertSyntaxError("[1e+]", offset: 4, "expected a digit in exponent")
        assertSyntaxError("", offset: 0, "unexpected end of input")
        assertSyntaxError("\"a\tb\"", offset: 2, "control character 0x09 inside a string")
        assertSyntaxError("[\"a\u{1}\"]", offset: 3, "control character 0x01 inside a string")
        assertSyntaxError("{\"a\" 1}", offset: 5, "expected ':' after key \"a\"")
        assertSyntaxError("{\"a\":1", offset: 6, "expected ',' or '}' in object")
    }

    func testRejectsInvalidUTF8AndDeepNesting() {
        XCTAssertThrowsError(try JSONParser.parse(Data([0x22, 0xFF, 0x22]))) { error in
            XCTAssertEqual(error as? JSONSyntaxError, JSONSyntaxError(offset: 0, message: "string is not valid UTF-8"))
        }
        XCTAssertThrowsError(try JSONParser.parse(Data([0x5B, 0x22, 0xC3, 0x28, 0x5C, 0x6E, 0x22, 0x5D]))) { error in
            XCTAssertEqual(error as? JSONSyntaxError, JSONSyntaxError(offset: 1, message: "string is not valid UTF-8"),
                           "a string with escapes is validated too")
        }
        XCTAssertEqual(JSONParser.maximumDepth, 256)
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1)
        XCTAssertThrowsError(try parse(deep)) { error in
            XCTAssertEqual(error as? JSONSyntaxError, JSONSyntaxError(offset: 256, message: "nesting deeper than 256 levels"))
        }
        let deepest = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        XCTAssertNoThrow(try parse(deepest))
    }

    func testParsesARawBufferSlice() throws {
        let bytes = Array("xx{\"k\": [1]}yy".utf8)
        let value = try bytes.withUnsafeBytes { try JSONParser.parse(UnsafeRawBufferPointer(rebasing: $0[2..<12])) }
        XCTAssertEqual(value, .object(["k": .array([.integer(1)])]))
    }

    // MARK: Exact keys

    func testKeepAllKeepsCanonicallyEquivalentAndRepeatedKeys() throws {
        let value = try parse(#"{"\u00e9": 0, "e\u0301": 1, "é": 2}"#, duplicateKeys: .keepAll)
        let members = try XCTUnwrap(value.objectMembers)
        XCTAssertEqual(members.count, 3)
        XCTAssertEqual(members.map { Array($0.key.unicodeScalars) }, [["\u{E9}"], ["e", "\u{301}"], ["\u{E9}"]])
        XCTAssertEqual(members.map(\.value), [.integer(0), .integer(1), .integer(2)])
        XCTAssertEqual(value["\u{E9}"], .integer(2), "a repeated key gives its last value")
        XCTAssertEqual(value["e\u{301}"], .integer(1), "lookup compares UTF-8 bytes, not canonical equivalence")
        XCTAssertEqual(value.objectValue?.count, 1, "the dictionary view merges canonically equivalent keys")

        let vocabulary = try TokenizerJSONReader(path: "test.json").readVocabulary(value, section: "vocab")
        XCTAssertEqual(vocabulary.count, 2)
        XCTAssertEqual(vocabulary[ExactText("\u{E9}")], 2, "a repeated key keeps its last value")
        XCTAssertEqual(vocabulary[ExactText("e\u{301}")], 1)
    }

    func testRejectCountsCanonicallyEquivalentKeysAsDuplicates() {
        XCTAssertThrowsError(try parse(#"{"\u00e9": 0, "e\u0301": 1}"#)) { error in
            XCTAssertEqual(error as? JSONSyntaxError, JSONSyntaxError(offset: 14, message: "duplicate key \"e\u{301}\""))
        }
        XCTAssertNoThrow(try parse(#"{"a": {"k": 1}, "b": {"k": 2}}"#), "the same key in different objects is fine")
    }

    func testObjectEqualityIsOrderedAndExact() {
        let ab: JSONObject = ["a": .integer(1), "b": .integer(2)]
        XCTAssertEqual(ab, JSONObject(members: [(key: "a", value: .integer(1)), (key: "b", value: .integer(2))]))
        XCTAssertNotEqual(ab, ["b": .integer(2), "a": .integer(1)])
        let composed: JSONObject = ["\u{E9}": .null]
        XCTAssertNotEqual(composed, ["e\u{301}": .null], "keys compare by bytes")
        XCTAssertNotEqual(ab, ["a": .integer(1), "b": .number(2)])
        XCTAssertEqual(ab.dictionary, ["a": .integer(1), "b": .integer(2)])
    }
}

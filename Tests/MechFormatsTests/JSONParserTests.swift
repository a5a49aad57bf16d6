import Foundation
import XCTest
@testable import MechFormats

final class JSONParserTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Data(text.utf8))
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
    }

    func testRejectsLenientSyntax() {
        assertSyntaxError("{\"a\":1,}", offset: 7, "expected a string key")
        assertSyntaxError("[1,]", offset: 3, "unexpected character ']'")
        assertSyntaxError("{\"a\":1,\"a\":2}", offset: 7, "duplicate key \"a\"")
        assertSyntaxError("012", offset: 1, "leading zero in number")
        assertSyntaxError("{} x", offset: 3, "unexpected data after the JSON value")
        assertSyntaxError("\"ab", offset: 0, "unterminated string")
        assertSyntaxError("\"\\ud800\"", offset: 7, "unpaired UTF-16 surrogate in \\u escape")
        assertSyntaxError("tru", offset: 3, "invalid literal (expected true)")
        assertSyntaxError("1e999", offset: 0, "number 1e999 is out of range")
        assertSyntaxError("", offset: 0, "unexpected end of input")
        assertSyntaxError("\"a\tb\"", offset: 2, "control character 0x09 inside a string")
    }

    func testRejectsInvalidUTF8AndDeepNesting() {
        XCTAssertThrowsError(try JSONParser.parse(Data([0x22, 0xFF, 0x22]))) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.message, "string is not valid UTF-8")
        }
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1)
        XCTAssertThrowsError(try parse(deep)) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.message, "nesting deeper than 512 levels")
        }
        let deepest = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        XCTAssertNoThrow(try parse(deepest))
    }
}

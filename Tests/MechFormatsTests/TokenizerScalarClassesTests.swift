import XCTest
@testable import MechFormats

/// The pre-tokenizers' character classes must agree with Hugging Face's regex engines for every
/// Unicode scalar; scalar_classes.json records, as ranges, how `tokenizers` itself classified each one.
final class TokenizerScalarClassesTests: XCTestCase {
    func testGPT2RegexClassesMatchHuggingFaceForEveryScalar() throws {
        let ranges = try XCTUnwrap(try golden()["gpt2"])
        let expected: [String: TokenizerScalarClasses.GPT2Class] = [
            "L": .letter, "N": .number, "S": .whitespace, "O": .other,
        ]
        var checked = 0
        var mismatches: [String] = []
        for (name, wanted) in expected {
            for range in try XCTUnwrap(ranges[name]?.arrayValue) {
                let bounds = try XCTUnwrap(range.intArray)
                for value in bounds[0]...bounds[1] {
                    guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
                    checked += 1
                    if TokenizerScalarClasses.gpt2Class(scalar) != wanted, mismatches.count < 20 {
                        mismatches.append("U+\(String(value, radix: 16, uppercase: true)) should be \(name)")
                    }
                }
            }
        }
        XCTAssertEqual(checked, 0x110000 - 0x800, "every scalar outside the surrogates is classified")
        XCTAssertEqual(mismatches, [])
    }

    func testWordAndWhitespaceClassesMatchHuggingFaceForEveryScalar() throws {
        let ranges = try XCTUnwrap(try golden()["word"])
        var checked = 0
        var mismatches: [String] = []
        for name in ["W", "S", "P"] {
            for range in try XCTUnwrap(ranges[name]?.arrayValue) {
                let bounds = try XCTUnwrap(range.intArray)
                for value in bounds[0]...bounds[1] {
                    guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
                    checked += 1
                    let isWord = TokenizerScalarClasses.isWordCharacter(scalar)
                    let isSpace = TokenizerScalarClasses.isWhitespace(scalar)
                    let actual = isWord ? "W" : (isSpace ? "S" : "P")
                    if actual != name, mismatches.count < 20 {
                        mismatches.append("U+\(String(value, radix: 16, uppercase: true)) should be \(name), is \(actual)")
                    }
                }
            }
        }
        XCTAssertEqual(checked, 0x110000 - 0x800)
        XCTAssertEqual(mismatches, [])
    }

    func testScalarsNewerThanHuggingFaceUnicodeAreUnassigned() {
        // U+1094A is a letter assigned in Unicode 17; tokenizers 0.23 (Unicode 16) sees an unassigned scalar.
        let scalar = Unicode.Scalar(0x1094A)!
        XCTAssertEqual(scalar.properties.generalCategory, .otherLetter)
        XCTAssertEqual(TokenizerScalarClasses.gpt2Class(scalar), .other)
        XCTAssertFalse(TokenizerScalarClasses.isWordCharacter(scalar))
        XCTAssertEqual(TokenizerScalarClasses.gpt2Class("\u{10900}"), .letter)
    }

    private func golden() throws -> JSONValue {
        try TokenizerFileReading.json(at: TokenizerGoldenFixtures.directory.appendingPathComponent("scalar_classes.json"))
    }
}

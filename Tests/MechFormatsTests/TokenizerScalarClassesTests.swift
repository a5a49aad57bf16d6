import XCTest
@testable import MechFormats

/// The pre-tokenizers' character classes must agree with Hugging Face's regex engines for every
/// Unicode scalar; scalar_classes.json records, as ranges, how `tokenizers` itself classified each one.
///
/// These tests depend on the Swift toolchain's Unicode tables: Mechscope classifies with
/// `Unicode.Scalar.Properties`, cut off at Hugging Face's Unicode version (16.0). Tables older than
/// 16.0 would misclassify the scalars assigned since; `requireTablesCoveringHuggingFace` says so
/// first instead of leaving 20 mismatches to explain. Tables newer than 16.0 are what the cut-off is
/// for; `testScalarsNewerThanHuggingFaceUnicodeAreUnassigned` checks it with a post-16.0 letter, and
/// is skipped (reported, not passed) where the toolchain has none.
final class TokenizerScalarClassesTests: XCTestCase {
    /// U+1C89 CYRILLIC CAPITAL LETTER TJE was assigned in Unicode 16.0.
    private func requireTablesCoveringHuggingFace(file: StaticString = #filePath, line: UInt = #line) throws {
        let age = try XCTUnwrap(Unicode.Scalar(0x1C89)!.properties.age,
                                "the toolchain's Unicode tables predate 16.0 (Hugging Face's): scalars assigned since would be "
                                + "misclassified; build with a toolchain whose tables are 16.0 or newer", file: file, line: line)
        XCTAssertEqual(age.major, 16, file: file, line: line)
        XCTAssertEqual(TokenizerScalarClasses.huggingFaceUnicodeVersion.major, 16, "update the probe with the cut-off",
                       file: file, line: line)
    }

    func testGPT2RegexClassesMatchHuggingFaceForEveryScalar() throws {
        try requireTablesCoveringHuggingFace()
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
        try requireTablesCoveringHuggingFace()
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

    func testScalarsNewerThanHuggingFaceUnicodeAreUnassigned() throws {
        // U+1094A is a letter assigned in Unicode 17; tokenizers 0.23 (Unicode 16) sees an unassigned scalar.
        let scalar = Unicode.Scalar(0x1094A)!
        guard let age = scalar.properties.age else {
            throw XCTSkip("the toolchain's Unicode tables stop before 17.0: no post-16.0 letter to check the cut-off with")
        }
        XCTAssertEqual(age.major, 17)
        XCTAssertEqual(scalar.properties.generalCategory, .otherLetter)
        XCTAssertEqual(TokenizerScalarClasses.gpt2Class(scalar), .other)
        XCTAssertFalse(TokenizerScalarClasses.isWordCharacter(scalar))
        XCTAssertEqual(TokenizerScalarClasses.gpt2Class("\u{10900}"), .letter)
    }

    private func golden() throws -> JSONValue {
        try TokenizerFileReading.json(at: TokenizerGoldenFixtures.directory.appendingPathComponent("scalar_classes.json"))
    }
}

import Foundation
import XCTest
@testable import MechFormats

/// The regex classes Split patterns use (\p{L}, \p{Lu}...\p{Lo}, \p{M}, \p{N}, \p{Nd}, \p{P}, \p{S}, \p{Z},
/// \p{C}, \s, \d, \w) must hold exactly the scalars `tokenizers`' Oniguruma puts in them, for every
/// Unicode scalar (Tests/golden/tokenizers/regex_scalar_classes.json, from make_regex_class_goldens.py).
final class TokenizerRegexClassTests: XCTestCase {
    func testEveryClassMatchesOnigurumaForEveryScalar() throws {
        let url = TokenizerGoldenFixtures.directory.appendingPathComponent("regex_scalar_classes.json")
        let golden = try XCTUnwrap(TokenizerFileReading.json(at: url).objectMembers)
        XCTAssertEqual(golden.count, 16, "classes read")
        for (pattern, rangesValue) in golden {
            let node = try TokenizerRegexParser.parse(pattern)
            XCTAssertEqual(node.kind, .set, pattern)
            var members = [Bool](repeating: false, count: 0x110000)
            for range in try XCTUnwrap(rangesValue.arrayValue) {
                let bounds = try XCTUnwrap(range.intArray)
                for value in bounds[0]...bounds[1] { members[value] = true }
            }
            var differing: [String] = []
            var count = 0
            for value in UInt32(0)...0x10FFFF {
                guard let scalar = Unicode.Scalar(value) else { continue }
                if members[Int(value)] { count += 1 }
                if node.set.contains(scalar) != members[Int(value)] {
                    differing.append(String(value, radix: 16, uppercase: true))
                }
            }
            XCTAssertGreaterThan(count, 0, pattern)
            XCTAssertTrue(differing.isEmpty, "\(pattern): \(differing.count) scalars differ from tokenizers, e.g. \(differing.prefix(24))")
        }
    }
}

import Foundation
import MechTensor
import XCTest
@testable import MechAnalysis

/// The detection patterns and the "mul" score on hand-made patterns, where the answer is known.
final class HeadDetectionTests: XCTestCase {
    private let tokens = [5, 7, 5, 7, 5]

    func testDetectionPatternsMarkTheKeysTransformerLensMarks() {
        XCTAssertEqual(HeadDetectionKind.previousToken.keys(for: tokens), [[], [0], [1], [2], [3]])
        XCTAssertEqual(HeadDetectionKind.duplicateToken.keys(for: tokens), [[], [], [0], [1], [0, 2]])
        XCTAssertEqual(HeadDetectionKind.induction.keys(for: tokens), [[], [], [1], [2], [1, 3]])
        // A token repeated back to back: the induction key may be the query itself (TL keeps the diagonal).
        XCTAssertEqual(HeadDetectionKind.induction.keys(for: [3, 3]), [[], [1]])
    }

    /// A [n, n] pattern with all attention of query q on key f(q).
    private func onehot(_ n: Int, _ key: (Int) -> Int) -> [Float] {
        var p = [Float](repeating: 0, count: n * n)
        for q in 0..<n { p[q * n + key(q)] = 1 }
        return p
    }

    func testPerfectPreviousTokenHeadScoresNMinusOneOverN() {
        let n = tokens.count
        let p = onehot(n) { max($0 - 1, 0) }
        let keys = HeadDetectionKind.previousToken.keys(for: tokens)
        XCTAssertEqual(HeadDetection.score(pattern: p, length: n, keys: keys), 4.0 / 5.0, accuracy: 1e-12)
        // Excluding BOS removes query 0's attention (on key 0) from the denominator.
        XCTAssertEqual(HeadDetection.score(pattern: p, length: n, keys: keys, options: HeadDetectionOptions(excludeBOS: true)),
                       1.0, accuracy: 1e-12)  // queries 2...4, all on their previous token
    }

    func testExcludingTheCurrentTokenDropsTheDiagonal() {
        // Half on self, half on the previous token.
        let n = 4
        var p = [Float](repeating: 0, count: n * n)
        p[0] = 1
        for q in 1..<n { p[q * n + q] = 0.5; p[q * n + q - 1] = 0.5 }
        let keys = HeadDetectionKind.previousToken.keys(for: [1, 2, 3, 4])
        XCTAssertEqual(HeadDetection.score(pattern: p, length: n, keys: keys), 1.5 / 4, accuracy: 1e-12)
        XCTAssertEqual(HeadDetection.score(pattern: p, length: n, keys: keys,
                                           options: HeadDetectionOptions(excludeCurrentToken: true)), 1, accuracy: 1e-12)
        // Everything excluded: 0/0, NaN as in TransformerLens.
        XCTAssertTrue(HeadDetection.score(pattern: [1], length: 1, keys: [[]], options: HeadDetectionOptions(excludeBOS: true)).isNaN)
    }

    func testEntropyOfUniformCausalAttentionIsMeanLogOfKeyCount() {
        let n = 6
        var p = [Float](repeating: 0, count: n * n)
        for q in 0..<n { for k in 0...q { p[q * n + k] = 1 / Float(q + 1) } }
        let expected = (1...n).map { log(Double($0)) }.reduce(0, +) / Double(n)
        XCTAssertEqual(HeadDetection.meanEntropy(pattern: p, length: n), expected, accuracy: 1e-6)
        XCTAssertEqual(HeadDetection.meanEntropy(pattern: onehot(n) { $0 }, length: n), 0)
    }

    func testRepeatedSequenceIsSeededAndAvoidsExcludedTokens() throws {
        let a = try RepeatedTokenSequence(vocabularySize: 10, excluding: [0, 9], halfLength: 40, seed: 3)
        let b = try RepeatedTokenSequence(vocabularySize: 10, excluding: [0, 9], halfLength: 40, seed: 3)
        let c = try RepeatedTokenSequence(vocabularySize: 10, excluding: [0, 9], halfLength: 40, seed: 4)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.tokens, c.tokens)
        XCTAssertEqual(a.tokens.count, 80)
        XCTAssertTrue(a.tokens.allSatisfy { (1...8).contains($0) })
        XCTAssertEqual(Set(a.tokens).count, 8, "40 uniform draws from 8 ids should hit them all")
        XCTAssertThrowsError(try RepeatedTokenSequence(vocabularySize: 3, excluding: [0, 1, 2], halfLength: 5)) {
            XCTAssertEqual($0 as? HeadAnalysisError, .noOrdinaryTokens(vocabularySize: 3))
        }
        XCTAssertThrowsError(try RepeatedTokenSequence(vocabularySize: 3, excluding: [], halfLength: 1))
        XCTAssertEqual(RepeatedTokenSequence.defaultHalfLength(context: 1024), 50)
        XCTAssertEqual(RepeatedTokenSequence.defaultHalfLength(context: 64), 32)
    }

    func testRepeatedInductionScoreReadsTheInductionDiagonal() throws {
        let s = try RepeatedTokenSequence(vocabularySize: 50, excluding: [], halfLength: 4, seed: 1)
        let n = 8
        // Perfect induction in the second half: query i attends to i − 4 + 1.
        var p = onehot(n) { $0 }
        for i in 4..<8 { p[i * n + i] = 0; p[i * n + i - 3] = 1 }
        XCTAssertEqual(s.inductionScore(pattern: p), 1, accuracy: 1e-12)
        XCTAssertEqual(s.inductionScore(pattern: onehot(n) { $0 }), 0)
    }
}

import Foundation
import MechModels
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// Pattern-based head scores against TransformerLens 4's `detect_head` (compatibility mode) on the
/// same token ids. Patterns come from the raw forward pass, TransformerLens's from processed weights:
/// they agree to ~1e-6, so scores agree to 1e-4 relative.
final class HeadScoreGoldenTests: XCTestCase {
    private let kinds: [(String, KeyPath<HeadPatternScores, [Double]>)] = [
        ("previous_token_head", \.previousToken), ("duplicate_token_head", \.duplicateToken), ("induction_head", \.induction),
    ]

    func testDetectHeadScoresAndEntropyOnPrompts() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let prompts = g["prompts"] as! [[String: Any]]
            XCTAssertEqual(prompts.count, 2, "\(name): prompts read")
            for prompt in prompts {
                let tokens = GoldenJSON.ints(prompt["token_ids"])
                // TransformerLens 4 prepends BOS by default except for GPT-NeoX (default_prepend_bos False).
                let bos = g.model.config.modelType != "gpt_neox"
                XCTAssertEqual(tokens, try g.model.tokenize(prompt["prompt"] as! String, bos: BOSChoice(flag: bos)), "\(name) tokens")
                let scores = try HeadPatternScores.compute(g.model.transformer, tokens: tokens)
                XCTAssertEqual(scores.previousToken.count, g.layers * g.heads)
                for (kind, path) in kinds {
                    assertClose(scores[keyPath: path], GoldenJSON.flat(prompt[kind]), "\(name) \(kind) '\(prompt["prompt"]!)'")
                }
                assertClose(scores.entropy, GoldenJSON.flat(prompt["entropy"]), "\(name) entropy")
            }
        }
    }

    func testExcludingBOSAndCurrentTokenMatchesDetectHead() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let prompt = (g["prompts"] as! [[String: Any]])[0]
            let golden = prompt["excluding_bos_and_current"] as! [String: Any]
            let scores = try HeadPatternScores.compute(g.model.transformer, tokens: GoldenJSON.ints(prompt["token_ids"]),
                                                       options: HeadDetectionOptions(excludeBOS: true, excludeCurrentToken: true))
            for (kind, path) in kinds {
                assertClose(scores[keyPath: path], GoldenJSON.flat(golden[kind]), "\(name) \(kind) with exclusions")
                // The exclusions change the score (the test would pass vacuously otherwise).
                XCTAssertNotEqual(scores[keyPath: path][0], GoldenJSON.flat(prompt[kind])[0], accuracy: 1e-6)
            }
        }
    }

    func testRepeatedSequenceIsTheDocumentedOne() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let golden = g["repeated"] as! [String: Any]
            let sequence = try RepeatedTokenSequence(for: g.model)
            XCTAssertEqual(sequence.tokens, GoldenJSON.ints(golden["token_ids"]), name)
            XCTAssertEqual(sequence.halfLength, golden["half_length"] as? Int)
            XCTAssertEqual(RepeatedTokenSequence.specialTokenIDs(of: g.model).sorted(), GoldenJSON.ints(golden["excluded_ids"]))
            XCTAssertEqual(Array(sequence.tokens[..<sequence.halfLength]), Array(sequence.tokens[sequence.halfLength...]))
        }
    }

    func testRepeatedSequenceScoresMatchTransformerLens() throws {
        for name in HeadGoldens.modelNames {
            let g = try HeadGoldens.named(name)
            let golden = g["repeated"] as! [String: Any]
            let sequence = try RepeatedTokenSequence(for: g.model)
            let scores = try RepeatedSequenceScores.compute(g.model.transformer, sequence: sequence)
            assertClose(scores.induction, GoldenJSON.flat(golden["induction_diagonal"]), "\(name) repeated induction")
            for (kind, path) in kinds {
                assertClose(scores.patternScores[keyPath: path], GoldenJSON.flat(golden[kind]), "\(name) repeated \(kind)")
            }
            assertClose(scores.patternScores.entropy, GoldenJSON.flat(golden["entropy"]), "\(name) repeated entropy")
        }
    }

    func testHeadScoreTableJoinsThePartsAndSorts() throws {
        let g = try HeadGoldens.named("gpt2-tiny-b")
        let prompt = (g["prompts"] as! [[String: Any]])[1]
        let table = try HeadScoreTable.compute(g.model.transformer, weights: g.weights,
                                               promptTokens: GoldenJSON.ints(prompt["token_ids"]),
                                               sequence: try RepeatedTokenSequence(for: g.model))
        XCTAssertEqual(table.rows.count, 15)
        let row = table.rows[7]  // L1H2
        XCTAssertEqual(row.label, "L1H2")
        XCTAssertEqual(row.induction, GoldenJSON.flat(prompt["induction_head"])[7], accuracy: 1e-5)
        XCTAssertEqual(row.repeatedInduction, GoldenJSON.flat((g["repeated"] as! [String: Any])["induction_diagonal"])[7], accuracy: 1e-5)
        XCTAssertEqual(row.ovCopying, GoldenJSON.flat((g["ov_copying"] as! [String: Any])["scores"])[7], accuracy: 1e-4)
        for key in HeadScoreTable.SortKey.allCases {
            let sorted = table.sorted(by: key)
            XCTAssertEqual(Set(sorted.map(\.label)).count, 15)
            let values = sorted.map { r -> Double in
                switch key {
                case .induction: return r.induction
                case .repeated: return r.repeatedInduction
                case .prev: return r.previousToken
                case .dup: return r.duplicateToken
                case .copying: return r.ovCopying
                case .entropy: return r.entropy
                }
            }
            XCTAssertEqual(values, values.sorted(by: >), "\(key)")
        }
    }
}

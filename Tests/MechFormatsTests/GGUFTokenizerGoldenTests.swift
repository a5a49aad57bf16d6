import Foundation
import XCTest
import MechTestSupport
@testable import MechFormats

/// Tokenizers built from small GGUF files' metadata give the ids `transformers` 5.24 gives with the
/// tokenizer it builds from the same files (Tests/golden/make_gguf_tokenizer_goldens.py): byte-level BPE
/// under each `tokenizer.ggml.pre`, SentencePiece (`llama`) with and without byte tokens, Phi-3's and Gemma's variants,
/// `gemma4`, T5's Unigram,
/// every add-BOS/EOS setting; raw ids, ids with special tokens and decoded text, on the hard strings.
final class GGUFTokenizerGoldenTests: XCTestCase {
    private static let folder = GoldenFixtures.root.appendingPathComponent("gguf-tokenizers")

    func testEveryFileMatchesTransformers() throws {
        let golden = try GoldenJSON.object(at: Self.folder.appendingPathComponent("goldens.json"))
        let files = golden["files"] as! [[String: Any]]
        let texts = golden["texts"] as! [String]
        XCTAssertEqual(files.count, 22)
        var checked = 0
        for file in files {
            let name = file["file"] as! String
            let tokenizer = try Tokenizer(gguf: try GGUFFile(url: Self.folder.appendingPathComponent(name)))
            let cases = file["cases"] as! [[String: Any]]
            XCTAssertEqual(cases.count, name.hasPrefix("gpt2") ? 112 : name.hasPrefix("t5") ? 115 : 120, name)
            XCTAssertEqual(tokenizer.vocabSize, file["vocab_size"] as? Int, name)
            XCTAssertEqual(tokenizer.bosTokenID, file["bos_id"] as? Int, name)
            XCTAssertEqual(tokenizer.eosTokenID, file["eos_id"] as? Int, name)
            let addedTokens = (file["added_tokens"] as! [[Any]]).map { "\($0[0]) \(($0[1] as! String).debugDescription) \($0[2] as! Bool)" }
            XCTAssertEqual(tokenizer.addedTokens.map { "\($0.id) \($0.content.debugDescription) \($0.isSpecial)" }.sorted(),
                           addedTokens.sorted(), name)
            var addsAny = false
            for c in cases {
                let text = texts[c["text"] as! Int]
                let raw = GoldenJSON.ints(c["ids"])
                let withSpecial = GoldenJSON.ints(c["ids_with_special"])
                addsAny = addsAny || raw != withSpecial
                XCTAssertEqual(try tokenizer.encode(text), raw, "\(name) \(text.debugDescription)")
                XCTAssertEqual(try tokenizer.encode(text, addSpecialTokens: true), withSpecial, "\(name) \(text.debugDescription) with special tokens")
                let decoded = tokenizer.decode(raw)
                // The decoded text is recorded only where it differs from the input.
                XCTAssertTrue(decoded.unicodeScalars.elementsEqual(((c["decoded"] as? String) ?? text).unicodeScalars),
                              "\(name) decode \(text.debugDescription): \(decoded.debugDescription)")
                checked += 1
            }
            XCTAssertEqual(tokenizer.addsSpecialTokens, addsAny, name)
        }
        XCTAssertEqual(checked, 12 * 112 + 8 * 120 + 2 * 115)
    }

    /// Each `tokenizer.ggml.pre` name transformers maps to a split keeps that split; other names keep
    /// GPT-2's byte-level pre-tokenizer, so their ids equal the "default" file's.
    func testPreTokenizerNamesTransformersDoesNotMapFallBackToGPT2() throws {
        let golden = try GoldenJSON.object(at: Self.folder.appendingPathComponent("goldens.json"))
        let files = Dictionary(uniqueKeysWithValues: (golden["files"] as! [[String: Any]]).map { ($0["file"] as! String, $0) })
        func ids(_ name: String) -> [[Int]] { (files[name]!["cases"] as! [[String: Any]]).map { GoldenJSON.ints($0["ids"]) } }
        for name in ["gpt2-smollm", "gpt2-deepseek-coder", "gpt2-falcon", "gpt2-unknown-pre"] {
            XCTAssertEqual(ids("\(name).gguf"), ids("gpt2-default.gguf"), name)
        }
        for name in ["gpt2-llama-bpe", "gpt2-qwen2", "gpt2-qwen35", "gpt2-tekken", "gpt2-gpt-4o"] {
            XCTAssertNotEqual(ids("\(name).gguf"), ids("gpt2-default.gguf"), name)
        }
        XCTAssertEqual(GGUFPreTokenizerSplits.patterns.count, 23)
    }

    func testSentencePieceFileSplitsUnknownTextIntoByteTokens() throws {
        let tokenizer = try Tokenizer(gguf: try GGUFFile(url: Self.folder.appendingPathComponent("llama-spm.gguf")))
        // "ꙮ" (U+A66E) has no piece: its three UTF-8 bytes become <0xEA> <0x99> <0xAE> after the "▁" piece.
        let ids = try tokenizer.encode("\u{A66E}")
        XCTAssertEqual(tokenizer.tokens(ids), ["\u{2581}", "<0xEA>", "<0x99>", "<0xAE>"])
        XCTAssertEqual(tokenizer.decode(ids), "\u{A66E}")
        XCTAssertEqual(try tokenizer.encode("hi", addSpecialTokens: true).first, 1)
        XCTAssertEqual(tokenizer.kindDescription, "BPE")
    }

    func testRefusedFilesAreOneLineErrors() throws {
        let rwkv = Self.folder.appendingPathComponent("refused-rwkv.gguf")
        XCTAssertThrowsError(try Tokenizer(gguf: try GGUFFile(url: rwkv))) { error in
            XCTAssertEqual("\(error)", "\(rwkv.path): tokenizer.ggml.model 'rwkv' is not supported yet (supported: gpt2, llama, gemma4, t5)")
        }
        let noScores = Self.folder.appendingPathComponent("refused-spm-without-scores.gguf")
        XCTAssertThrowsError(try Tokenizer(gguf: try GGUFFile(url: noScores))) { error in
            XCTAssertEqual("\(error)", "\(noScores.path): metadata 'tokenizer.ggml.scores' is missing or not an array of numbers "
                + "(the file has no merges either)")
        }
    }

    /// `generate_merges`: every cut of a token into two vocabulary tokens, best score first, then the
    /// longer left and right pieces; equal keys in vocabulary order, one token's cuts by piece ids.
    func testDerivedMergesFollowTransformersOrder() {
        let tokens = ["a", "b", "c", "ab", "bc", "abc", "ca"]
        let scores: [Double] = [0, 0, 0, -1, -1, -0.5, -1]
        let merges = GGUFSentencePieceMerges.merges(tokens: tokens, scores: scores)
        XCTAssertEqual(merges.map { "\($0.0) \($0.1)" }, ["ab c", "a bc", "a b", "b c", "c a"])
    }
}

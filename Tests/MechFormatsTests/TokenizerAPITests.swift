import Foundation
import XCTest
@testable import MechFormats

/// The tokenizer's lookup, display and BOS/EOS API on the golden GPT-2 style tokenizer
/// (ids below were read from Hugging Face's `token_to_id` for that file).
final class TokenizerAPITests: XCTestCase {
    private func gpt2Style() throws -> Tokenizer {
        try Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-gpt2style"))
    }

    func testLookupUsesExactScalarsNotCanonicalEquivalence() throws {
        let tokenizer = try gpt2Style()
        XCTAssertEqual(tokenizer.vocabSize, 1000)
        XCTAssertEqual(tokenizer.id(of: "Ġthe"), 376)
        XCTAssertEqual(tokenizer.id(of: "<|endoftext|>"), 0)
        XCTAssertEqual(tokenizer.id(of: "é"), 166)
        XCTAssertNil(tokenizer.id(of: "e\u{301}"), "canonically equivalent but different scalars")
        XCTAssertEqual(tokenizer.token(of: 634), "ä½ł")
        XCTAssertNil(tokenizer.token(of: 5000))
        XCTAssertNil(tokenizer.token(of: -1))
        XCTAssertEqual(tokenizer.tokens([376, 5000, 0]), ["Ġthe", "<unused id 5000>", "<|endoftext|>"])
        XCTAssertEqual(tokenizer.addedTokens, [TokenizerAddedToken(id: 0, content: "<|endoftext|>", isSpecial: true)])
        XCTAssertTrue(tokenizer.isSpecialToken(0))
        XCTAssertFalse(tokenizer.isSpecialToken(376))
    }

    func testDisplayTextSpellsOutControlsAndPartialCharacters() throws {
        let tokenizer = try gpt2Style()
        XCTAssertEqual(tokenizer.displayText(of: 199), "\\n")
        XCTAssertEqual(tokenizer.displayText(of: 198), "\\t")
        XCTAssertEqual(tokenizer.displayText(of: 202), "\\r")
        XCTAssertEqual(tokenizer.displayText(of: 216), "\\x1B")
        XCTAssertEqual(tokenizer.displayText(of: 221), " ")
        XCTAssertEqual(tokenizer.displayText(of: 275), "   ")
        XCTAssertEqual(tokenizer.displayText(of: 376), " the")
        XCTAssertEqual(tokenizer.displayText(of: 257), "\\xE0\\xA4", "first two bytes of a Devanagari letter")
        XCTAssertEqual(tokenizer.displayText(of: 166), "\\xE9", "a lone continuation-less lead byte")
        XCTAssertEqual(tokenizer.displayText(of: 345), "é")
        XCTAssertEqual(tokenizer.displayText(of: 634), "你")
        XCTAssertEqual(tokenizer.displayText(of: 0), "<|endoftext|>")
        XCTAssertEqual(tokenizer.displayText(of: 5000), "<unused id 5000>")
    }

    func testDisplayTextRendering() {
        XCTAssertEqual(TokenDisplayText.render(Array("a\u{7F}\u{0}\u{85}b".utf8)), "a\\x7F\\x00\\u{0085}b")
        XCTAssertEqual(TokenDisplayText.render([0xE2, 0x82, 0x41, 0xFF]), "\\xE2\\x82A\\xFF")
        XCTAssertEqual(TokenDisplayText.render(Array("\\ 👍🏽".utf8)), "\\ 👍🏽")
    }

    func testDecodeJoinsBytesAcrossTokensAndSkipsUnknownIds() throws {
        let tokenizer = try gpt2Style()
        let ids = try tokenizer.encode("你好 naïve")
        XCTAssertEqual(tokenizer.decode(ids), "你好 naïve")
        XCTAssertEqual(tokenizer.decode([257]), "\u{FFFD}")
        XCTAssertEqual(tokenizer.decode([65, 5000, 65]), "aa")
        XCTAssertEqual(tokenizer.decode([65, 0, 65]), "a<|endoftext|>a")
        XCTAssertEqual(tokenizer.decode([65, 0, 65], skipSpecialTokens: true), "aa")
    }

    func testUTF8ChunksReplaceMaximalSubpartsLikeRust() {
        let example: [UInt8] = [0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62, 0x80, 0x63, 0x80, 0xBF, 0x64]
        XCTAssertEqual(UTF8Chunks.lossyString(example), "a\u{FFFD}\u{FFFD}\u{FFFD}b\u{FFFD}c\u{FFFD}\u{FFFD}d")
        let surrogatesAndOverlongs: [UInt8] = [0xED, 0xA0, 0x80, 0xF0, 0x80, 0x80, 0x41, 0xF4, 0x90, 0x80, 0x80]
        XCTAssertEqual(UTF8Chunks.lossyString(surrogatesAndOverlongs),
                       String(repeating: "\u{FFFD}", count: 6) + "A" + String(repeating: "\u{FFFD}", count: 4))
        XCTAssertEqual(UTF8Chunks.lossyString(Array("ok 👍🏽".utf8)), "ok 👍🏽")
    }

    func testBOSAndEOSFromEndOfTextTokenAndPrependBOS() throws {
        var tokenizer = try gpt2Style()
        XCTAssertEqual(tokenizer.bosTokenID, 0)
        XCTAssertEqual(tokenizer.eosTokenID, 0)
        let plain = try tokenizer.encode("The quick brown fox")
        XCTAssertEqual(plain, [365, 509, 310, 75, 283, 391, 87, 78, 514, 88])
        XCTAssertEqual(try tokenizer.encode("The quick brown fox", prependBOS: true), [0] + plain)
        tokenizer.bosTokenID = 7
        XCTAssertEqual(try tokenizer.encode("The quick brown fox", prependBOS: true), [7] + plain)
    }

    func testBOSAndEOSFromTokenizerConfig() throws {
        let folder = try TokenizerGoldenFixtures.copy(["tokenizer.json"], from: "bpe-gpt2style")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = #"{"bos_token": "a", "eos_token": {"content": "b", "__type": "AddedToken"}}"#
        try Data(config.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let tokenizer = try Tokenizer(folder: folder)
        XCTAssertEqual(tokenizer.bosTokenID, 65)
        XCTAssertEqual(tokenizer.eosTokenID, 66)
    }

    func testConcurrentEncodingAgreesWithSerialEncoding() throws {
        let tokenizer = try Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-prefix"))
        let texts = (0..<64).map { "sample \($0): I'll've 你好 \($0 * 7919) naïve café 👍🏽" }
        let serial = try texts.map { try Tokenizer(folder: TokenizerGoldenFixtures.folder("bpe-prefix")).encode($0) }
        let results = ConcurrentResults(count: texts.count)
        DispatchQueue.concurrentPerform(iterations: texts.count) { index in
            results.set(index, try? tokenizer.encode(texts[index]))
        }
        XCTAssertEqual(results.values, serial)
    }

    /// Encodes about 10 KB of English once cold and once warm and prints the times (no assertion on speed).
    func testEncodingTenKilobytesOfEnglishTiming() throws {
        let sentences = [
            "The committee met on Tuesday to discuss the budget for the coming year.",
            "Several members argued that spending on public transport should rise by 12 percent,",
            "while others wanted to keep taxes low and invest in schools instead.",
            "After three hours of debate, they agreed to publish a draft report in March.",
            "Researchers in the lab measured how quickly each model learned the new task;",
            "surprisingly, the smallest network generalised best when the data were noisy.",
        ]
        var text = ""
        var index = 0
        while text.utf8.count < 10_240 {
            text += sentences[index % sentences.count] + (index % 5 == 4 ? "\n\n" : " ")
            index += 1
        }
        let tokenizer = try gpt2Style()
        let coldStart = DispatchTime.now()
        let ids = try tokenizer.encode(text)
        let cold = Double(DispatchTime.now().uptimeNanoseconds - coldStart.uptimeNanoseconds) / 1e6
        let warmStart = DispatchTime.now()
        let again = try tokenizer.encode(text)
        let warm = Double(DispatchTime.now().uptimeNanoseconds - warmStart.uptimeNanoseconds) / 1e6
        print(String(format: "tokenizer timing: %d bytes -> %d tokens, cold %.1f ms, warm %.1f ms",
                     text.utf8.count, ids.count, cold, warm))
        XCTAssertEqual(again, ids)
        XCTAssertEqual(tokenizer.decode(ids), text)
        XCTAssertGreaterThan(ids.count, 1500)
    }
}

/// Collects per-index results from concurrent work.
private final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [[Int]?]

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: [Int]?) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [[Int]] {
        lock.lock()
        defer { lock.unlock() }
        return storage.map { $0 ?? [] }
    }
}

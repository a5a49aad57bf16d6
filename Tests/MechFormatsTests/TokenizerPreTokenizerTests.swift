import XCTest
@testable import MechFormats

/// Direct checks of the pre-tokenization pieces (the goldens check the same behaviour end to end;
/// these localise a failure). Expected pieces are Hugging Face's `pre_tokenize_str` output.
final class TokenizerPreTokenizerTests: XCTestCase {
    private func gpt2Pieces(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return GPT2PreTokenizerScanner.pieces(of: scalars).map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
    }

    func testGPT2RegexPieces() {
        XCTAssertEqual(gpt2Pieces("a \n  b"), ["a", " \n ", " b"])
        XCTAssertEqual(gpt2Pieces("a  b"), ["a", " ", " b"])
        XCTAssertEqual(gpt2Pieces("I'll've DON'T"), ["I", "'ll", "'ve", " DON", "'", "T"])
        XCTAssertEqual(gpt2Pieces("!!'s"), ["!!'", "s"])
        XCTAssertEqual(gpt2Pieces(" 's 're"), [" '", "s", " '", "re"])
        XCTAssertEqual(gpt2Pieces("x\u{A0}y"), ["x", "\u{A0}", "y"])
        XCTAssertEqual(gpt2Pieces("x\u{3000} y"), ["x", "\u{3000}", " y"])
        XCTAssertEqual(gpt2Pieces("x\u{200B}y"), ["x", "\u{200B}", "y"])
        XCTAssertEqual(gpt2Pieces("abc123 45½  "), ["abc", "123", " 45½", "  "])
        XCTAssertEqual(gpt2Pieces(""), [])
    }

    func testByteLevelPrefixSpaceIsAddedToEveryPieceNotStartingWithASpace() {
        let prefixed = TokenizerPreTokenizer.byteLevel(addPrefixSpace: true, useRegex: true)
        XCTAssertEqual(TokenizerPreTokenizer.apply([prefixed], to: "hi"), ["Ġhi"])
        XCTAssertEqual(TokenizerPreTokenizer.apply([prefixed], to: " hi"), ["Ġhi"])
        XCTAssertEqual(TokenizerPreTokenizer.apply([prefixed], to: "\thi"), ["Ġ", "ĉ", "hi"])
        XCTAssertEqual(TokenizerPreTokenizer.apply([prefixed], to: ""), [])
        let whole = TokenizerPreTokenizer.byteLevel(addPrefixSpace: false, useRegex: false)
        XCTAssertEqual(TokenizerPreTokenizer.apply([whole], to: "a b\n"), ["aĠbĊ"])
    }

    func testWhitespacePreTokenizers() {
        XCTAssertEqual(TokenizerPreTokenizer.apply([.whitespace], to: "a_b c\u{B2}d \u{2167}x 12=3"),
                       ["a_b", "c", "\u{B2}", "d", "\u{2167}x", "12", "=", "3"])
        XCTAssertEqual(TokenizerPreTokenizer.apply([.whitespaceSplit], to: " 1\n2\t3= \u{3000}4 "),
                       ["1", "2", "3=", "4"])
    }

    func testByteLevelAlphabetIsGPT2BytesToUnicode() {
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[0x20], "Ġ")
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[0x0A], "Ċ")
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[0x00], "Ā")
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[0xAD], "Ń")
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[0x41], "A")
        XCTAssertEqual(ByteLevelAlphabet.scalarForByte[0xE9], "é")
        XCTAssertEqual(Set(ByteLevelAlphabet.scalarForByte).count, 256)
        for byte in 0...255 {
            XCTAssertEqual(ByteLevelAlphabet.byte(for: ByteLevelAlphabet.scalarForByte[byte]), UInt8(byte))
        }
        XCTAssertNil(ByteLevelAlphabet.byte(for: "日"))
        XCTAssertNil(ByteLevelAlphabet.byte(for: "\u{AD}"))
    }
}

import Foundation
import XCTest
@testable import MechFormats

/// Names quoted from a hostile file (tensor names, JSON keys, token contents) cannot break an error
/// message across lines or send terminal escapes: control characters come out spelled as `\n`, `\x1B`.
/// The fuzz targets check the same for every error they provoke (`Fuzz/Shared/Attempt.swift`).
final class OneLineErrorTests: XCTestCase {
    func testSafetensorsTensorNameWithNewlineAndEscapeIsSpelledOut() {
        let file = SafetensorsTestFile.raw(
            header: #"{"a\nb\u001b[2J":{"dtype":"X9","shape":[1],"data_offsets":[0,1]}}"#, data: [0])
        XCTAssertThrowsError(try file.withUnsafeBytes { try SafetensorsHeader(file: $0, path: "/m/model.safetensors") }) { error in
            XCTAssertEqual(error as? FormatError, .unknownDtype(path: "/m/model.safetensors", tensor: "a\nb\u{1B}[2J", dtype: "X9"))
            XCTAssertEqual("\(error)", #"model.safetensors: tensor 'a\nb\x1B[2J' has unknown dtype 'X9'"#)
        }
    }

    func testDuplicateJSONKeyWithTerminalTitleEscapeIsSpelledOut() {
        let text = #"{"\u001b]0;x\u0007":1,"\u001b]0;x\u0007":2}"#
        XCTAssertThrowsError(try JSONParser.parse(Data(text.utf8))) { error in
            XCTAssertEqual(error as? JSONSyntaxError, JSONSyntaxError(offset: 22, message: "duplicate key \"\u{1B}]0;x\u{7}\""))
            XCTAssertEqual("\(error)", #"duplicate key "\x1B]0;x\x07" at byte 22"#)
        }
        let config = FormatError.invalidJSON(path: "/m/config.json", byteOffset: 22, reason: "duplicate key \"\u{1B}]0;x\u{7}\"")
        XCTAssertEqual(config.description, #"/m/config.json: not valid JSON: duplicate key "\x1B]0;x\x07" at byte 22"#)
    }

    func testAddedTokenContentWithLineBreaksIsSpelledOut() throws {
        let folder = try TokenizerGoldenFixtures.folder(
            containing: "tokenizer.json",
            text: #"{"model":{"type":"WordLevel","vocab":{"a":0}},"added_tokens":[{"content":"x\r\ny\u0085"}]}"#)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try Tokenizer(folder: folder)) { error in
            let path = folder.appendingPathComponent("tokenizer.json").path
            XCTAssertEqual("\(error)", path + #": added_tokens[0] ("x\r\ny\u{0085}") has no valid "id""#)
        }
    }

    func testNpyHeaderKeyWithNewlineIsSpelledOut() {
        let dictionary = Array("{'a\nb': 1}\n".utf8)
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dictionary.count), 0] + dictionary
        XCTAssertThrowsError(try NpyFile.decode(bytes, path: "/d/x.npy")) { error in
            XCTAssertEqual("\(error)", #"x.npy: not a valid .npy file: header has unexpected key 'a\nb'"#)
        }
    }

    func testPathWithNewlineIsSpelledOut() {
        // (The path does not exist, so the message says what is there instead: nothing.)
        XCTAssertEqual(FormatError.notARegularFile(path: "/m/a\nb").description, #"/m/a\nb is missing, not a regular file"#)
        XCTAssertEqual(TokenizerError.noTokenizerFiles(folder: "/m\t1").description,
                       #"no tokenizer in /m\t1: expected tokenizer.json, or vocab.json + merges.txt (copy them from the model's Hugging Face folder)"#)
    }
}

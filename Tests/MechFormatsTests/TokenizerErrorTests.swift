import Foundation
import XCTest
@testable import MechFormats

/// Bad or unsupported tokenizer folders fail with one-line errors that name the file and the problem.
final class TokenizerErrorTests: XCTestCase {
    private var folders: [URL] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
        folders = []
        super.tearDown()
    }

    private func folder(with file: String, text: String) throws -> URL {
        let folder = try TokenizerGoldenFixtures.folder(containing: file, text: text)
        folders.append(folder)
        return folder
    }

    private func loadError(_ folder: URL) -> TokenizerError? {
        do {
            _ = try Tokenizer(folder: folder)
            return nil
        } catch {
            return error as? TokenizerError
        }
    }

    private static let minimalBPE = #"{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]}"#

    private func tokenizerJSON(model: String = minimalBPE, normalizer: String = "null",
                               preTokenizer: String = #"{"type":"ByteLevel","add_prefix_space":false}"#,
                               decoder: String = #"{"type":"ByteLevel"}"#, postProcessor: String = "null") -> String {
        #"{"added_tokens":[],"normalizer":\#(normalizer),"pre_tokenizer":\#(preTokenizer),"decoder":\#(decoder),"post_processor":\#(postProcessor),"model":\#(model)}"#
    }

    func testFolderWithoutTokenizerFilesNamesTheFolderOnOneLine() throws {
        let folder = try self.folder(with: "vocab.json", text: #"{"a":0}"#)  // merges.txt missing
        let error = try XCTUnwrap(loadError(folder))
        XCTAssertEqual(error, .noTokenizerFiles(folder: folder.path))
        XCTAssertTrue(error.description.contains(folder.path))
        XCTAssertTrue(error.description.contains("tokenizer.json"))
        XCTAssertFalse(error.description.contains("\n"))
        XCTAssertEqual(error.errorDescription, error.description)
    }

    func testMissingFolderIsReportedAsHavingNoTokenizerFiles() {
        let missing = URL(fileURLWithPath: "/nonexistent/mechscope-model")
        XCTAssertEqual(loadError(missing), .noTokenizerFiles(folder: missing.path))
    }

    func testMalformedJSONNamesFileAndByteOffset() throws {
        let folder = try self.folder(with: "tokenizer.json", text: #"{"model": {"type": "BPE",, }}"#)
        let error = try XCTUnwrap(loadError(folder))
        let path = folder.appendingPathComponent("tokenizer.json").path
        guard case .malformedJSON(let errorPath, let offset, let problem) = error else {
            return XCTFail("expected malformedJSON, got \(error)")
        }
        XCTAssertEqual(errorPath, path)
        XCTAssertEqual(offset, 25)
        XCTAssertEqual(problem, "expected a string key")
        XCTAssertTrue(error.description.hasPrefix("\(path) is not valid JSON at byte 25"), error.description)
    }

    func testBadVocabularyIDsAreNamed() throws {
        let cases = [(#"-1"#, "out of range"), (#"1e20"#, "out of range"), (#""x""#, "of type string"), (#"[0]"#, "of type array")]
        for (id, problem) in cases {
            let model = #"{"type":"WordLevel","vocab":{"a":0,"b":\#(id)},"unk_token":"a"}"#
            let folder = try self.folder(with: "tokenizer.json", text: tokenizerJSON(model: model))
            let path = folder.appendingPathComponent("tokenizer.json").path
            XCTAssertEqual(loadError(folder), .invalidContent(path: path, problem: "model.vocab entry \"b\" has id \(problem)"))
        }
    }

    func testRepeatedVocabularyKeyKeepsTheLastIDAsHuggingFaceDoes() throws {
        let model = #"{"type":"WordLevel","vocab":{"a":0,"b":1,"a":2},"unk_token":"a"}"#
        let folder = try self.folder(with: "tokenizer.json", text: tokenizerJSON(model: model))
        let tokenizer = try Tokenizer(folder: folder)
        XCTAssertEqual(tokenizer.id(of: "a"), 2)
        XCTAssertEqual(tokenizer.id(of: "b"), 1)
    }

    func testTruncatedJSONIsMalformed() throws {
        let folder = try self.folder(with: "tokenizer.json", text: #"{"model": {"type": "BPE""#)
        guard case .malformedJSON(_, 24, _)? = loadError(folder) else {
            return XCTFail("expected malformedJSON at the end of the file, got \(String(describing: loadError(folder)))")
        }
    }

    func testUnsupportedModelTypesAreNamed() throws {
        for type in ["WordPieceX", "BPE2"] {
            let model = #"{"type":"\#(type)","vocab":{"a":0},"unk_token":"[UNK]"}"#
            let folder = try self.folder(with: "tokenizer.json", text: tokenizerJSON(model: model))
            let path = folder.appendingPathComponent("tokenizer.json").path
            let error = try XCTUnwrap(loadError(folder))
            XCTAssertEqual(error, .unsupportedComponent(path: path, kind: "model", type: type, location: "model"))
            XCTAssertTrue(error.description.contains("unsupported model \"\(type)\" at model"), error.description)
        }
    }

    /// A Unigram model's vocabulary is a list of [piece, score] pairs and its unk_id one of their ids.
    func testMalformedUnigramModelsAreOneLineErrors() throws {
        let cases: [(model: String, problem: String)] = [
            (#"{"type":"Unigram","vocab":{"a":0},"unk_id":0}"#, "model.vocab must be an array of [piece, score] pairs"),
            (#"{"type":"Unigram","vocab":[["a",-1.0],["b"]],"unk_id":0}"#, "model.vocab[1] must be a [piece, score] pair"),
            (#"{"type":"Unigram","vocab":[["a",-1.0]],"unk_id":3}"#, "model.unk_id 3 is not an id of model.vocab (1 pieces)"),
        ]
        for (model, problem) in cases {
            let folder = try self.folder(with: "tokenizer.json", text: tokenizerJSON(model: model))
            let path = folder.appendingPathComponent("tokenizer.json").path
            XCTAssertEqual(loadError(folder), .invalidContent(path: path, problem: problem), model)
        }
    }

    /// A component still missing is named with its type and JSON path, on one line.
    func testUnsupportedComponentsAreNamedWithTheirJSONPath() throws {
        let normalizer = try folder(with: "tokenizer.json", text: tokenizerJSON(
            normalizer: #"{"type":"Sequence","normalizers":[{"type":"NFC"},{"type":"Precompiled","precompiled_charsmap":""}]}"#))
        let normalizerPath = normalizer.appendingPathComponent("tokenizer.json").path
        XCTAssertEqual(loadError(normalizer), .unsupportedComponent(path: normalizerPath, kind: "normalizer", type: "Precompiled",
                                                                    location: "normalizer.normalizers[1]"))
        XCTAssertEqual(loadError(normalizer)?.description,
                       "\(normalizerPath): unsupported normalizer \"Precompiled\" at normalizer.normalizers[1] (supported: NFC, NFD, "
                       + "NFKC, NFKD, Lowercase, Replace, Prepend, Strip, StripAccents, BertNormalizer, Sequence)")

        let preTokenizer = try folder(with: "tokenizer.json", text: tokenizerJSON(
            preTokenizer: #"{"type":"Sequence","pretokenizers":[{"type":"Digits","individual_digits":true},{"type":"UnicodeScripts"}]}"#))
        XCTAssertEqual(loadError(preTokenizer),
                       .unsupportedComponent(path: preTokenizer.appendingPathComponent("tokenizer.json").path, kind: "pre_tokenizer",
                                             type: "UnicodeScripts", location: "pre_tokenizer.pretokenizers[1]"))

        let decoder = try folder(with: "tokenizer.json", text: tokenizerJSON(decoder: #"{"type":"CTC"}"#))
        XCTAssertEqual(loadError(decoder),
                       .unsupportedComponent(path: decoder.appendingPathComponent("tokenizer.json").path, kind: "decoder",
                                             type: "CTC", location: "decoder"))

        let processor = try folder(with: "tokenizer.json", text: tokenizerJSON(
            postProcessor: #"{"type":"Sequence","processors":[{"type":"ByteLevel"},{"type":"Future"}]}"#))
        XCTAssertEqual(loadError(processor),
                       .unsupportedComponent(path: processor.appendingPathComponent("tokenizer.json").path, kind: "post_processor",
                                             type: "Future", location: "post_processor.processors[1]"))
    }

    /// Regex syntax the engine lacks (lookbehind, scripts) is refused with the pattern and where it is.
    func testUnsupportedSplitPatternsAreNamed() throws {
        for pattern in [#"(?<=a)b"#, #"\\p{Han}+"#, #"[a&&b]"#] {
            let preTokenizer = #"{"type":"Split","pattern":{"Regex":"\#(pattern)"},"behavior":"Isolated","invert":false}"#
            let folder = try self.folder(with: "tokenizer.json", text: tokenizerJSON(preTokenizer: preTokenizer))
            guard case .unsupportedPattern(_, let location, _, _)? = loadError(folder) else {
                return XCTFail("expected unsupportedPattern for \(pattern), got \(String(describing: loadError(folder)))")
            }
            XCTAssertEqual(location, "pre_tokenizer.pattern")
            XCTAssertFalse(try XCTUnwrap(loadError(folder)).description.contains("\n"))
        }
    }

    func testBPEDropoutIsRejectedBecauseItMakesEncodingRandom() throws {
        let model = #"{"type":"BPE","dropout":0.1,"vocab":{"a":0},"merges":[]}"#
        let folder = try self.folder(with: "tokenizer.json", text: tokenizerJSON(model: model))
        guard case .unsupportedOption(_, let option)? = loadError(folder) else {
            return XCTFail("expected unsupportedOption, got \(String(describing: loadError(folder)))")
        }
        XCTAssertTrue(option.contains("dropout"))
    }

    func testMergeWithTokenOutsideVocabularyIsRejected() throws {
        let model = #"{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]}"#
        let folder = try self.folder(with: "tokenizer.json", text: tokenizerJSON(model: model))
        XCTAssertEqual(loadError(folder),
                       .mergeTokenNotInVocabulary(path: folder.appendingPathComponent("tokenizer.json").path, token: "ab"))
    }

    func testMalformedMergesLineNamesTheLine() throws {
        let folder = try self.folder(with: "vocab.json", text: #"{"a":0,"b":1,"ab":2}"#)
        try Data("#version: 0.2\na b\na b c\n".utf8).write(to: folder.appendingPathComponent("merges.txt"))
        XCTAssertEqual(loadError(folder),
                       .malformedMergesLine(path: folder.appendingPathComponent("merges.txt").path, line: 3, text: "a b c"))
    }

    func testVocabWithNonIntegerIdIsInvalid() throws {
        let folder = try self.folder(with: "vocab.json", text: #"{"a":"zero"}"#)
        try Data("#version: 0.2\n".utf8).write(to: folder.appendingPathComponent("merges.txt"))
        guard case .invalidContent(let path, let problem)? = loadError(folder) else {
            return XCTFail("expected invalidContent, got \(String(describing: loadError(folder)))")
        }
        XCTAssertEqual(path, folder.appendingPathComponent("vocab.json").path)
        XCTAssertTrue(problem.contains("\"a\""), problem)
    }

    func testWordLevelWithoutUsableUnknownTokenThrowsOnUnknownWordOnly() throws {
        let model = #"{"type":"WordLevel","vocab":{"1":0,"=":1},"unk_token":"<unk>"}"#
        let folder = try self.folder(with: "tokenizer.json", text: tokenizerJSON(
            model: model, preTokenizer: #"{"type":"Whitespace"}"#, decoder: "null"))
        let tokenizer = try Tokenizer(folder: folder)
        XCTAssertEqual(try tokenizer.encode("1 = 1"), [0, 1, 0])
        XCTAssertThrowsError(try tokenizer.encode("1 + 1")) { error in
            XCTAssertEqual(error as? TokenizerError, .wordNotInVocabulary(word: "+", unknownToken: "<unk>"))
        }
    }

    func testPrependingBOSWithoutKnownBOSThrows() throws {
        let tokenizer = try Tokenizer(folder: TokenizerGoldenFixtures.folder("wordlevel"))
        XCTAssertNil(tokenizer.bosTokenID)
        XCTAssertThrowsError(try tokenizer.encode("1", prependBOS: true)) { error in
            XCTAssertEqual(error as? TokenizerError, .noBOSToken)
        }
        XCTAssertEqual(try tokenizer.encode("1", prependBOS: false), [1])
    }
}

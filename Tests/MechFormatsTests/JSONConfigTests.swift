import Foundation
import XCTest
@testable import MechFormats

final class JSONConfigTests: TemporaryDirectoryTestCase {
    private func config(_ text: String) throws -> JSONConfig {
        try JSONConfig(url: write(text, to: "config.json"))
    }

    func testTypedAccess() throws {
        let c = try config("""
        {"n_layer": 12, "n_positions": 1024.0, "layer_norm_epsilon": 1e-05, "activation_function": "gelu_new",
         "tie_word_embeddings": true, "rope_scaling": null, "architectures": ["GPT2LMHeadModel"],
         "dims": [1, 2], "text_config": {"hidden_size": 768}}
        """)
        XCTAssertEqual(try c.int("n_layer"), 12)
        XCTAssertEqual(try c.int("n_positions"), 1024)
        XCTAssertEqual(try c.double("layer_norm_epsilon"), 1e-5)
        XCTAssertEqual(try c.double("n_layer"), 12)
        XCTAssertEqual(try c.string("activation_function"), "gelu_new")
        XCTAssertEqual(try c.bool("tie_word_embeddings"), true)
        XCTAssertEqual(try c.stringArray("architectures"), ["GPT2LMHeadModel"])
        XCTAssertEqual(try c.intArray("dims"), [1, 2])
        XCTAssertEqual(try c.section("text_config").int("hidden_size"), 768)
        XCTAssertTrue(c.has("n_layer"))
        XCTAssertFalse(c.has("rope_scaling"), "null counts as absent")
        XCTAssertFalse(c.has("n_embd"))
        XCTAssertNil(try c.optionalDouble("rope_scaling"))
        XCTAssertNil(try c.optionalInt("n_embd"))
        XCTAssertEqual(try c.optionalInt("n_layer"), 12)
        XCTAssertEqual(try c.optionalString("activation_function"), "gelu_new")
        XCTAssertEqual(try c.optionalBool("tie_word_embeddings"), true)
        XCTAssertNil(try c.optionalSection("vision_config"))
    }

    func testWrongTypeNamesFileKeyExpectedAndFound() throws {
        let c = try config(#"{"n_layer": "12", "eps": 0.5, "flag": 1, "text_config": {"hidden_size": 7.5}}"#)
        let error = assertFormatError(try c.int("n_layer")) {
            if case .wrongType(_, "n_layer", "an integer", "string \"12\"") = $0 { return true } else { return false }
        }
        XCTAssertEqual(error?.description, "config.json: key 'n_layer' should be an integer, found string \"12\"")
        assertFormatError(try c.int("eps")) {
            if case .wrongType(_, "eps", "an integer", "number 0.5") = $0 { return true } else { return false }
        }
        assertFormatError(try c.bool("flag")) {
            if case .wrongType(_, "flag", "a boolean", "integer 1") = $0 { return true } else { return false }
        }
        assertFormatError(try c.optionalString("flag")) {
            if case .wrongType(_, "flag", "a string", _) = $0 { return true } else { return false }
        }
        assertFormatError(try c.section("text_config").int("hidden_size")) {
            if case .wrongType(_, "text_config.hidden_size", "an integer", "number 7.5") = $0 { return true }
            return false
        }
    }

    func testMissingKeyAndBadFiles() throws {
        let c = try config(#"{"a": 1}"#)
        let error = assertFormatError(try c.double("n_embd")) {
            if case .missingKey(let path, "n_embd") = $0 { return path.hasSuffix("config.json") } else { return false }
        }
        XCTAssertEqual(error?.description, "config.json: missing key 'n_embd'")

        assertFormatError(try self.config("{\"a\": 1,}")) {
            if case .invalidJSON(_, 8, "expected a string key") = $0 { return true } else { return false }
        }
        assertFormatError(try self.config("[1]")) {
            if case .notAJSONObject(_, "array") = $0 { return true } else { return false }
        }
        assertFormatError(try JSONConfig(url: directory.appendingPathComponent("absent.json"))) {
            if case .cannotOpen(_, "no such file") = $0 { return true } else { return false }
        }
    }
}

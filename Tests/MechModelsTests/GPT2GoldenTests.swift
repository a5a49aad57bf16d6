import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// Mechscope's tokens and every cached activation against Hugging Face `transformers`
/// (Tests/golden/make_goldens.py), for several small random GPT-2s and prompts.
final class GPT2GoldenTests: XCTestCase {
    func testTinyA() throws { try checkModel("gpt2-tiny-a", cases: 4) }
    func testTinyBWithOddHeadSizeAndExactGELU() throws { try checkModel("gpt2-tiny-b", cases: 3) }
    func testFloat16Weights() throws { try checkModel("gpt2-tiny-a-f16", cases: 1) }
    func testBFloat16Weights() throws { try checkModel("gpt2-tiny-a-bf16", cases: 1) }
    func testTwoShardCheckpoint() throws { try checkModel("gpt2-tiny-a-sharded", cases: 1) }

    /// A 230-token prompt: two attention query blocks (128 + 102 rows), every hook compared at
    /// positions on both sides of the block boundary and at the end.
    func testPromptLongerThanOneQueryBlock() throws {
        let meta = try XCTUnwrap(try GoldenFixtures.cases(of: "gpt2-tiny-c", expected: 1).first?.1)
        XCTAssertGreaterThanOrEqual(meta.token_ids.count, 200)
        XCTAssertGreaterThan(meta.token_ids.count, Transformer.queryBlock)
        let positions = try XCTUnwrap(meta.positions)
        XCTAssertTrue(positions.contains(Transformer.queryBlock - 1) && positions.contains(Transformer.queryBlock))
        XCTAssertEqual(positions.last, meta.token_ids.count - 1)
        try checkModel("gpt2-tiny-c", cases: 1)
    }

    private func checkModel(_ name: String, cases expected: Int) throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder(name))
        let cases = try GoldenFixtures.cases(of: name, expected: expected)
        for (folder, meta) in cases {
            let label = "\(name)/\(folder.lastPathComponent)"
            let ids = try model.tokenize(meta.prompt)
            XCTAssertEqual(ids, meta.token_ids, "\(label): token ids")
            XCTAssertEqual(ids.map { model.tokenizer!.tokens([$0])[0] }, meta.tokens, "\(label): token strings")
            let result = try model.transformer.run(meta.token_ids)
            var compared = 0
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            where file.hasSuffix(".npy") {
                let hookName = String(file.dropLast(4))
                let expected = try NpyFile.read(from: folder.appendingPathComponent(file))
                var actual: Tensor
                if hookName == "logits" {
                    actual = result.logits
                } else if let hook = HookPoint(name: hookName) {
                    if case .result(let l) = hook {
                        actual = model.transformer.headResults(layer: l, z: result.cache[.z(l)]!)
                    } else {
                        guard let cached = result.cache[hook] else { XCTFail("\(label): no \(hookName) in cache"); continue }
                        actual = cached
                    }
                } else {
                    XCTFail("\(label): unexpected golden file \(file)")
                    continue
                }
                if let positions = meta.positions {
                    let axis = GoldenRows.queryAxis(ofHook: hookName)
                    var shape = actual.shape
                    let rows = GoldenRows.select(actual.scalars, shape: shape, axis: axis, positions: positions)
                    shape[axis] = positions.count
                    actual = Tensor(shape: shape, values: rows)
                    XCTAssertEqual(actual.shape, expected.shape, "\(label): \(hookName) shape")
                }
                XCTAssertEqual(actual.shape.reduce(1, *), expected.count, "\(label): \(hookName) size")
                assertClose(actual, expected, "\(label): \(hookName)")
                compared += 1
            }
            XCTAssertEqual(compared, meta.hooks.count + (meta.hooks.contains("logits") ? 0 : 1), "\(label): files compared")
        }
    }
}

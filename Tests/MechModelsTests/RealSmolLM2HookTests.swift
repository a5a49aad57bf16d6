import Foundation
import XCTest
import MechTensor
import MechTestSupport
@testable import MechModels

/// Every TransformerLens hook of the real SmolLM2-135M-Instruct (Q4_1 GGUF, scripts/fetch-real-models) against
/// what `transformers` computes from the same file in float32 on the dequantized weights
/// (Tests/golden/make_real_smollm2_hook_goldens.py): per prompt the token ids exactly, and per hook its shape,
/// mask, norm, per-position norms and sampled elements at 1e-3 relative (HookSummary.mismatches states the rule).
final class RealSmolLM2HookTests: XCTestCase {
    private static let golden = Result {
        try GoldenJSON.object(at: GoldenFixtures.root.appendingPathComponent("real/smollm2-135m-instruct-hooks.json"))
    }
    private static let hooksPerCase = 634   // hook_embed, 30 × 21 block hooks incl. hook_result, ln_final × 2, logits

    private struct Case {
        let name: String
        let prompt: String
        let ids: [Int]
        let hooks: [HookSummary]
    }

    private func cases() throws -> [Case] {
        let cases = try Self.golden.get()["cases"] as! [String: [String: Any]]
        return cases.keys.sorted().map { name in
            let c = cases[name]!
            let hooks = (c["hooks"] as! [String: [String: Any]]).map { HookSummary(name: $0.key, json: $0.value) }
            return Case(name: name, prompt: c["prompt"] as! String, ids: GoldenJSON.ints(c["ids"]),
                        hooks: hooks.sorted { $0.name < $1.name })
        }
    }

    private func open() throws -> LoadedModel {
        try LoadedModel(gguf: try RealModels.require(RealModels.smolLM2GGUF))
    }

    /// The tensor Mechscope gives for a hook name: the cache, hook_result from hook_z as on demand, or the logits.
    private func tensor(_ name: String, _ result: ForwardResult, _ model: LoadedModel) -> Tensor? {
        if name == "logits" { return result.logits }
        guard let hook = HookPoint(name: name) else { return nil }
        if case .result(let l) = hook {
            return result.cache[.z(l)].map { model.transformer.headResults(layer: l, z: $0) }
        }
        return result.cache[hook]
    }

    func testEveryHookMatchesTransformers() throws {
        let model = try open()
        let cases = try cases()
        XCTAssertEqual(cases.map(\.name), ["capital", "repeat"])
        let expectedNames = Set(HookPoint.all(for: model.config).map(\.name)
            + (0..<model.config.nLayers).map { HookPoint.result($0).name } + ["logits"])
        var hooksCompared = 0, valuesCompared = 0
        for c in cases {
            XCTAssertEqual(try model.tokenize(c.prompt), c.ids, "\(c.name): token ids")
            XCTAssertEqual(Set(c.hooks.map(\.name)), expectedNames, "\(c.name): the golden holds every hook Mechscope caches")
            let result = try model.transformer.run(c.ids)
            for summary in c.hooks {
                guard let actual = tensor(summary.name, result, model) else { XCTFail("\(c.name): no \(summary.name)"); continue }
                let problems = summary.mismatches(actual)
                XCTAssertEqual(problems, [], "\(c.name): \(problems.count) mismatches")
                hooksCompared += 1
                valuesCompared += summary.valueCount
            }
        }
        XCTAssertEqual(hooksCompared, 2 * Self.hooksPerCase, "hooks compared")
        XCTAssertEqual(valuesCompared, 86_710, "norms, position norms and samples compared")
    }

    /// The comparison is not vacuous: a hook from the wrong place, a rotation left out, a 0.2% scale error
    /// or one sampled element off by a few tolerances is caught.
    func testWrongHooksAreCaught() throws {
        let model = try open()
        let c = try XCTUnwrap(try cases().first { $0.name == "repeat" })
        let result = try model.transformer.run(c.ids)
        func summary(_ name: String) -> HookSummary { c.hooks.first { $0.name == name }! }
        func cached(_ name: String) -> Tensor { result.cache[name]! }

        XCTAssertEqual(summary("blocks.7.attn.hook_pattern").mismatches(cached("blocks.7.attn.hook_pattern")), [])
        XCTAssertFalse(summary("blocks.7.attn.hook_pattern").mismatches(cached("blocks.8.attn.hook_pattern")).isEmpty,
                       "the next layer's pattern")
        XCTAssertFalse(summary("blocks.4.attn.hook_rot_k").mismatches(cached("blocks.4.attn.hook_k")).isEmpty,
                       "keys before rotary")
        XCTAssertFalse(summary("blocks.20.hook_resid_mid").mismatches(cached("blocks.20.hook_resid_pre")).isEmpty,
                       "the residual stream before attention")

        let residual = cached("blocks.12.hook_resid_post").copy()
        for i in 0..<residual.count { residual.pointer[i] *= 1.002 }
        XCTAssertFalse(summary("blocks.12.hook_resid_post").mismatches(residual).isEmpty, "scaled by 1.002")

        let post = summary("blocks.3.mlp.hook_post")
        let moved = cached("blocks.3.mlp.hook_post").copy()
        let (index, value) = post.samples[post.samples.count / 2]
        let rms = post.norm / Double(moved.count).squareRoot()
        moved.pointer[index] = Float(value + 3e-3 * (abs(value) + rms))
        XCTAssertTrue(post.mismatches(moved).contains { $0.contains("element \(index)") }, "one element moved")
    }
}

import Foundation
import MechFormats
import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// The Llama, Mistral, Qwen2 and GPT-NeoX families against Hugging Face `transformers`
/// (Tests/golden/make_family_goldens.py): every TransformerLens hook of each small random model,
/// fed the token ids the goldens recorded, at 1e-4 relative.
final class FamilyGoldenTests: XCTestCase {
    func testLlamaWithGroupedQueryAttention() throws { try checkModel("llama-tiny", cases: 2) }
    func testLlama3RopeScalingHeadDimAndBiases() throws { try checkModel("llama3-tiny", cases: 2) }
    func testMistralConfigInTransformers4Style() throws { try checkModel("mistral-tiny", cases: 2) }
    func testQwen2WithQKVBiasesAndTiedEmbeddings() throws { try checkModel("qwen2-tiny", cases: 2) }
    func testPythiaParallelBlocksPartialRotary() throws { try checkModel("pythia-tiny", cases: 2) }
    func testGPTNeoXSequentialBlocks() throws { try checkModel("neox-seq-tiny", cases: 2) }
    func testLlamaBFloat16Weights() throws { try checkModel("llama-tiny-bf16", cases: 1) }
    func testLlamaTwoShardCheckpoint() throws { try checkModel("llama-tiny-sharded", cases: 1) }

    func testArchitectureReadFromEachConfig() throws {
        func config(_ name: String) throws -> TransformerConfig {
            try LoadedModel(folder: GoldenFixtures.modelFolder(name)).config
        }
        let llama = try config("llama-tiny")
        XCTAssertEqual(llama.architecture.normalization, Normalization(.rmsNorm, epsilon: 1e-5))
        XCTAssertEqual(llama.positions, .rotary(RotarySpec(theta: 10_000, dims: 16)))
        XCTAssertEqual([llama.nHeads, llama.nKVHeads, llama.dHead], [4, 2, 16])
        XCTAssertTrue(llama.architecture.mlp.gated)
        XCTAssertFalse(llama.tiedEmbeddings)
        let llama3 = try config("llama3-tiny")
        XCTAssertEqual([llama3.nHeads, llama3.nKVHeads, llama3.dHead], [4, 1, 24])
        XCTAssertEqual(llama3.positions.rotary?.llama3,
                       Llama3RopeScaling(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 32))
        XCTAssertTrue(llama3.tiedEmbeddings)
        XCTAssertTrue(llama3.architecture.attention.qkvBias && llama3.architecture.mlp.bias)
        let mistral = try config("mistral-tiny")
        XCTAssertEqual(mistral.nContext, 64, "the sliding window limits the context")
        XCTAssertEqual(mistral.dHead, 16, "head_dim absent: d_model / heads")
        let qwen = try config("qwen2-tiny")
        XCTAssertTrue(qwen.architecture.attention.qkvBias)
        XCTAssertFalse(qwen.architecture.attention.outBias)
        XCTAssertEqual(qwen.positions.rotary?.theta, 1_000_000)
        let pythia = try config("pythia-tiny")
        XCTAssertEqual(pythia.positions, .rotary(RotarySpec(theta: 10_000, dims: 4)))
        XCTAssertTrue(pythia.architecture.parallelAttentionMLP)
        XCTAssertEqual(pythia.normalization.kind, .layerNorm)
        XCTAssertFalse(try config("neox-seq-tiny").architecture.parallelAttentionMLP)
        XCTAssertEqual(HookPoint.all(for: pythia).filter { $0.layer == 0 }.map(\.name), [
            "blocks.0.hook_resid_pre", "blocks.0.ln1.hook_scale", "blocks.0.ln1.hook_normalized",
            "blocks.0.attn.hook_q", "blocks.0.attn.hook_k", "blocks.0.attn.hook_v", "blocks.0.attn.hook_rot_q",
            "blocks.0.attn.hook_rot_k", "blocks.0.attn.hook_attn_scores", "blocks.0.attn.hook_pattern",
            "blocks.0.attn.hook_z", "blocks.0.hook_attn_out", "blocks.0.ln2.hook_scale", "blocks.0.ln2.hook_normalized",
            "blocks.0.mlp.hook_pre", "blocks.0.mlp.hook_post", "blocks.0.hook_mlp_out", "blocks.0.hook_resid_post",
        ])
    }

    /// 16-bit checkpoints keep their blocks F16/BF16 in the memory map: a run converts each block as it
    /// reaches it and keeps no float32 copy (only the embeddings and final norm are converted and kept).
    func testHalfPrecisionBlocksStayInTheMemoryMap() throws {
        for (name, blockMarker) in [("llama-tiny-bf16", "layers."), ("gpt2-tiny-a-bf16", "h."), ("gpt2-tiny-a-f16", "h.")] {
            let model = try LoadedModel(folder: GoldenFixtures.modelFolder(name))
            XCTAssertTrue(model.transformer.weights.readsBlocksOnDemand, name)
            _ = try model.transformer.run([1, 2, 3, 4])
            let kept = model.weightStore!.convertedTensorNames
            XCTAssertFalse(kept.isEmpty, "\(name): the embedding is converted once and kept")
            XCTAssertEqual(kept.filter { $0.contains(blockMarker) }, [], "\(name): block weights kept as float32")
        }
        let gpt2 = try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-a"))
        XCTAssertFalse(gpt2.transformer.weights.readsBlocksOnDemand, "GPT-2's F32 blocks are views kept resident")
        XCTAssertEqual(gpt2.weightStore!.convertedTensorNames, [])
        for name in ["llama-tiny", "pythia-tiny"] {
            let model = try LoadedModel(folder: GoldenFixtures.modelFolder(name))
            XCTAssertTrue(model.transformer.weights.readsBlocksOnDemand, "\(name): nn.Linear blocks are read when asked for")
            _ = try model.transformer.run([1, 2, 3, 4])
            XCTAssertEqual(model.weightStore!.convertedTensorNames, [], name)
        }
    }

    /// An F32 nn.Linear checkpoint runs on its mapped [out, in] weights as stored: no copy, no transpose.
    /// Analyses get the x·W orientation from the block read last, made once however often they ask.
    func testLinearWeightsAreMultipliedInPlaceAndTransposedOncePerBlockRead() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("llama-tiny"))
        let weights = model.transformer.weights
        let stored = try model.weights.tensor(named: "model.layers.1.self_attn.o_proj.weight")   // [d_model, head·d_head]
        let block = weights.block(1)
        guard case .outByIn(let o) = block.o.storage else { return XCTFail("o_proj should keep nn.Linear's layout") }
        XCTAssertEqual(o.pointer, stored.pointer, "o_proj is a view of the mapped checkpoint")
        XCTAssertTrue(weights.block(1).o === block.o, "the block read last is kept")
        XCTAssertEqual(weights.block(1).attnOut.pointer, block.attnOut.pointer, "W_O's transpose is made once")
        let wO = block.attnOut                                                          // [head·d_head, d_model]
        XCTAssertEqual(wO.shape, [stored.shape[1], stored.shape[0]])
        for (i, j) in [(0, 0), (3, 5), (stored.shape[1] - 1, stored.shape[0] - 1)] {
            XCTAssertEqual(wO[i, j], stored[j, i])
        }
        XCTAssertFalse(weights.block(0).o === block.o, "another layer replaces it")
    }

    /// A block that differs from block 0 (a tensor missing, another shape) is found at load, not mid-pass.
    func testEveryBlockIsCheckedAtLoad() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("llama-tiny"))
        var tensors: [String: Tensor] = [:]
        for name in model.weightStore!.names { tensors[name] = try model.weights.tensor(named: name) }
        var missing = tensors
        missing["model.layers.1.mlp.up_proj.weight"] = nil
        XCTAssertThrowsError(try TransformerWeights(config: model.config, source: InMemoryWeights(missing))) {
            XCTAssertEqual($0 as? ModelError, .missingTensor(folder: "(in memory)", tensor: "model.layers.1.mlp.up_proj.weight"))
        }
        var reshaped = tensors
        reshaped["model.layers.1.self_attn.v_proj.weight"] = Tensor(zeros: [16, 64])
        XCTAssertThrowsError(try TransformerWeights(config: model.config, source: InMemoryWeights(reshaped))) {
            XCTAssertEqual($0 as? ModelError, .wrongShape(folder: "(in memory)", tensor: "model.layers.1.self_attn.v_proj.weight",
                                                          expected: [32, 64], found: [16, 64]))
        }
    }

    /// A pass resumed mid-prompt (activation patching's prefix reuse) attends with the cached rotated
    /// keys of the earlier positions and rotates its own rows at their absolute positions.
    func testResumedPassMatchesFullRunOnRotaryModel() throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder("llama-tiny"))
        let tokens = try GoldenFixtures.meta("llama-tiny", "ascii_sentence").token_ids
        let full = try model.transformer.run(tokens)
        let resumed = try model.transformer.resume(from: full, layer: 1, position: 5)
        assertClose(resumed.logits, full.logits.rows(5..<tokens.count), "logits of positions 5…")
    }

    private func checkModel(_ name: String, cases expected: Int) throws {
        let model = try LoadedModel(folder: GoldenFixtures.modelFolder(name))
        let cases = try GoldenFixtures.cases(of: name, expected: expected)
        for (folder, meta) in cases {
            let label = "\(name)/\(folder.lastPathComponent)"
            let result = try model.transformer.run(meta.token_ids)
            let produced = Set(HookPoint.all(for: model.config).map(\.name))
            var compared = 0
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            where file.hasSuffix(".npy") {
                let hookName = String(file.dropLast(4))
                let expected = try NpyFile.read(from: folder.appendingPathComponent(file))
                let actual: Tensor
                if hookName == "logits" {
                    actual = result.logits
                } else if let hook = HookPoint(name: hookName) {
                    if case .result(let l) = hook {
                        actual = model.transformer.headResults(layer: l, z: result.cache[.z(l)]!)
                    } else {
                        XCTAssertTrue(produced.contains(hookName), "\(label): \(hookName) missing from HookPoint.all")
                        guard let cached = result.cache[hook] else { XCTFail("\(label): no \(hookName) in cache"); continue }
                        actual = cached
                    }
                } else {
                    XCTFail("\(label): unexpected golden file \(file)")
                    continue
                }
                XCTAssertEqual(actual.shape.reduce(1, *), expected.count, "\(label): \(hookName) size")
                assertClose(actual, expected, "\(label): \(hookName)")
                compared += 1
            }
            XCTAssertEqual(compared, meta.hooks.count, "\(label): files compared")
            if meta.hooks.contains("blocks.0.attn.hook_q") {
                XCTAssertEqual(Set(meta.hooks).subtracting(["logits", "blocks.0.attn.hook_result", "blocks.1.attn.hook_result"]),
                               produced, "\(label): the cache has exactly TransformerLens's hooks")
            }
        }
    }
}

import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// Models without LayerNorm and without MLPs (attention-only toy models): nothing is centred or
/// scaled (TransformerLens's apply_ln_to_stack leaves such stacks unchanged), decompositions still
/// add up, and neuron analyses say there are no neurons.
final class ResidualWithoutLayerNormTests: XCTestCase {
    private func attentionOnlyModel() throws -> Transformer {
        let config = TransformerConfig(modelType: "mechscope_transformer", nLayers: 2, dModel: 8, nHeads: 2, dMLP: 0,
                                       nContext: 8, vocabSize: 11, attnOnly: true, layerNormEpsilon: nil,
                                       tiedEmbeddings: false)
        var state: UInt64 = 42
        func random(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int(state >> 40) % 2001 - 1000) / 2000
            })
        }
        var tensors: [String: Tensor] = ["wte.weight": random([11, 8]), "wpe.weight": random([8, 8]),
                                         "lm_head.weight": random([11, 8]), "lm_head.bias": random([11])]
        for l in 0..<2 {
            tensors["h.\(l).attn.c_attn.weight"] = random([8, 24])
            tensors["h.\(l).attn.c_attn.bias"] = random([24])
            tensors["h.\(l).attn.c_proj.weight"] = random([8, 8])
            tensors["h.\(l).attn.c_proj.bias"] = random([8])
        }
        return try Transformer(config: config, source: InMemoryWeights(tensors))
    }

    func testStacksAreUncentredAndAddUp() throws {
        let model = try attentionOnlyModel()
        let weights = ProcessedWeights(model)
        let run = try model.run([1, 5, 2, 9, 3])
        let positions = [0, 4]
        let accumulated = try ResidualDecomposition.accumulated(model, run, positions: positions, includeMid: true,
                                                                layerNorm: .cachedFinalScale)
        XCTAssertEqual(accumulated.labels, ["0_pre", "1_pre", "final_post"])   // no resid_mid without MLPs
        let final = try run.cache.required(.residPost(1))
        let parts = try ResidualDecomposition.components(model, run, positions: positions, layerNorm: .recomputedFinal)
        XCTAssertEqual(parts.labels, ["embed", "pos_embed", "0_attn_out", "1_attn_out"])
        let heads = try ResidualDecomposition.heads(model, weights, run, positions: positions, includeRemainder: true)
        for (i, p) in positions.enumerated() {
            let target = final.row(p).scalars
            assertResidualClose(accumulated.vector(2, positionIndex: i).scalars, target.map(Double.init), "final_post unchanged")
            var sum = [Float](repeating: 0, count: 8), headSum = sum
            for e in parts.components.indices { sum = zip(sum, parts.vector(e, positionIndex: i).scalars).map(+) }
            for e in heads.components.indices { headSum = zip(headSum, heads.vector(e, positionIndex: i).scalars).map(+) }
            assertResidualClose(sum, target.map(Double.init), "components add up at \(p)")
            assertResidualClose(headSum, target.map(Double.init), "heads, biases and remainder add up at \(p)")
            // The remainder is exactly the two embeddings.
            let embeds = zip(parts.vector(0, positionIndex: i).scalars, parts.vector(1, positionIndex: i).scalars).map(+)
            assertResidualClose(heads.vector(heads.components.count - 1, positionIndex: i).scalars, embeds.map(Double.init),
                                "remainder at \(p)")
        }
    }

    func testLensAndAttributionReproduceTheLogits() throws {
        let model = try attentionOnlyModel()
        let weights = ProcessedWeights(model)
        let run = try model.run([3, 3, 7, 1])
        let last = 3
        let lens = try LogitLens.read(model, weights, run, positions: [last], topK: 11, targets: [4])
        let probs = Softmax.probabilities(run.logits.row(last))
        let final = lens.readings.last![0]
        XCTAssertEqual(final.top.map(\.tokenID), TopK.indices(of: probs, k: 11))
        for t in final.top { XCTAssertEqual(t.probability, probs[t.tokenID], accuracy: 1e-6) }
        XCTAssertEqual(final.targets[0].rank, probs.filter { $0 > probs[4] }.count)
        let direction = try DirectLogitAttribution.direction(weights, answer: 4, wrong: 9)
        let dla = try DirectLogitAttribution.heads(model, weights, run, positions: [last], direction: direction)
        let logits = run.logits.row(last)
        XCTAssertEqual(dla.total() + direction.bias, logits[4] - logits[9], accuracy: 1e-5)
        XCTAssertThrowsError(try DirectLogitAttribution.neurons(model, weights, run, positions: [last], direction: direction)) {
            XCTAssertEqual($0 as? ResidualAnalysisError, .noMLP)
        }
        XCTAssertThrowsError(try NeuronActivations.top(at: 0, count: 3, model, run)) {
            XCTAssertEqual("\($0)", "this model is attention-only: it has no MLP neurons to analyse")
        }
    }
}

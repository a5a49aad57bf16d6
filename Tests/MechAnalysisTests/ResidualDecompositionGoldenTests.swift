import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// Residual-stream stacks against TransformerLens 4 (compatibility mode): accumulated_resid,
/// decompose_resid and stack_head_results, without LayerNorm, with the cached final scale, and
/// with the final LayerNorm recomputed.
final class ResidualDecompositionGoldenTests: XCTestCase {
    func testAccumulatedResidualMatchesTransformerLens() throws {
        for g in try ResidualGoldenCase.all() {
            let ref = g.reference.accumulated
            for (mode, expected) in [(ResidualLayerNorm.none, ref.raw!), (.cachedFinalScale, ref.cached_scale!),
                                     (.recomputedFinal, ref.recomputed!)] {
                let stack = try ResidualDecomposition.accumulated(g.model.transformer, g.run, positions: g.reference.positions,
                                                                  includeMid: true, layerNorm: mode)
                XCTAssertEqual(stack.labels, ref.labels, g.name)
                assertResidualClose(stack.flat, expected.flat, "\(g.name) accumulated \(mode)")
            }
        }
    }

    func testComponentDecompositionMatchesTransformerLens() throws {
        for g in try ResidualGoldenCase.all() {
            let ref = g.reference.decompose
            for (mode, expected) in [(ResidualLayerNorm.none, ref.raw!), (.cachedFinalScale, ref.cached_scale!)] {
                let stack = try ResidualDecomposition.components(g.model.transformer, g.run, positions: g.reference.positions,
                                                                 layerNorm: mode)
                XCTAssertEqual(stack.labels, ref.labels, g.name)
                assertResidualClose(stack.flat, expected.flat, "\(g.name) decompose \(mode)")
            }
        }
    }

    func testHeadResultsAndAttentionBiasesMatchTransformerLens() throws {
        for g in try ResidualGoldenCase.all() {
            let ref = g.reference.heads
            let stack = try ResidualDecomposition.heads(g.model.transformer, g.weights, g.run, positions: g.reference.positions,
                                                        includeAttentionBias: true, layerNorm: .cachedFinalScale)
            XCTAssertEqual(stack.labels, ref.labels + ref.bias_labels!, g.name)
            let heads = ref.labels.count * g.reference.positions.count * g.model.config.dModel
            assertResidualClose(Array(stack.flat[..<heads]), ref.cached_scale!.flat, "\(g.name) heads")
            assertResidualClose(Array(stack.flat[heads...]), ref.bias_cached_scale!.flat, "\(g.name) attention biases")
        }
    }

    /// A complete decomposition adds up to the state it decomposes: embeddings + every attn_out and
    /// mlp_out = final_post, and heads + biases + remainder likewise (all centred, no LayerNorm).
    func testDecompositionsAddUpToTheFinalResidual() throws {
        let g = try ResidualGoldenCase.all()[0]
        let positions = [0, g.run.tokens.count - 1]
        let final = try ResidualDecomposition.accumulated(g.model.transformer, g.run, positions: positions)
        let last = final.components.count - 1
        XCTAssertEqual(final.components[last], .finalPost)
        let parts = try ResidualDecomposition.components(g.model.transformer, g.run, positions: positions)
        let heads = try ResidualDecomposition.heads(g.model.transformer, g.weights, g.run, positions: positions,
                                                    includeRemainder: true)
        XCTAssertEqual(heads.components.last, .remainder)
        // The remainder must be the embeddings plus the MLP writes.
        let mlpAndEmbed = parts.components.indices.filter {
            switch parts.components[$0] { case .embed, .posEmbed, .mlpOut: return true; default: return false }
        }
        for i in positions.indices {
            let target = final.vector(last, positionIndex: i).scalars
            var sum = [Float](repeating: 0, count: target.count), rest = sum
            for e in parts.components.indices {
                sum = zip(sum, parts.vector(e, positionIndex: i).scalars).map(+)
            }
            for e in mlpAndEmbed { rest = zip(rest, parts.vector(e, positionIndex: i).scalars).map(+) }
            assertResidualClose(sum, target.map(Double.init), "components sum at \(positions[i])")
            assertResidualClose(heads.vector(heads.components.count - 1, positionIndex: i).scalars, rest.map(Double.init),
                                "head remainder at \(positions[i])")
            XCTAssertEqual(Double(target.reduce(0, +)), 0, accuracy: 1e-4, "processed residuals are centred")
        }
    }

    func testBadPositionsAndMissingActivationsAreReported() throws {
        let g = try ResidualGoldenCase.all()[0]
        let n = g.run.tokens.count
        XCTAssertThrowsError(try ResidualDecomposition.accumulated(g.model.transformer, g.run, positions: [n])) {
            XCTAssertEqual($0 as? ResidualAnalysisError, .positionOutOfRange(position: n, tokens: n))
        }
        XCTAssertThrowsError(try ResidualDecomposition.components(g.model.transformer, g.run, positions: [])) {
            XCTAssertEqual($0 as? ResidualAnalysisError, .noPositions)
        }
        XCTAssertEqual(try ResidualPositions.resolve(-1, count: n), n - 1)
        XCTAssertEqual(try ResidualPositions.resolve(-n, count: n), 0)
        XCTAssertThrowsError(try ResidualPositions.resolve(-n - 1, count: n)) {
            XCTAssertEqual("\($0)", "position \(-n - 1) is outside the prompt's \(n) tokens (use 0…\(n - 1), or -\(n)…-1 counting from the end)")
        }
        let sparse = try g.model.transformer.run(g.run.tokens, caching: .only([.embed, .posEmbed]))
        XCTAssertThrowsError(try ResidualDecomposition.components(g.model.transformer, sparse, positions: [0])) {
            XCTAssertEqual($0 as? ResidualAnalysisError, .missingActivation(hook: "blocks.0.hook_attn_out"))
        }
        // With exactly the hooks it says it needs, every stack computes.
        let minimal = try g.model.transformer.run(g.run.tokens,
                                                  caching: .only(ResidualDecomposition.requiredHooks(g.model.config)))
        XCTAssertNoThrow(try ResidualDecomposition.heads(g.model.transformer, g.weights, minimal, positions: [1],
                                                         includeRemainder: true, layerNorm: .cachedFinalScale))
        XCTAssertNoThrow(try DirectLogitAttribution.neurons(g.model.transformer, g.weights, minimal, positions: [1],
                                                            direction: try DirectLogitAttribution.direction(g.weights, answer: 3)))
    }
}

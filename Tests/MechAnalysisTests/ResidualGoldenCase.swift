import Foundation
import MechModels
import MechTensor
import MechTestSupport
import XCTest
@testable import MechAnalysis

/// One case recorded by Tests/golden/analysis/make_lens_goldens.py from TransformerLens 4 in
/// compatibility mode, with the model run once here on the same tokens.
struct ResidualGoldenCase {
    struct Reference: Decodable {
        struct Stack: Decodable {
            let labels: [String]
            let raw: [[[Double]]]?
            let recomputed: [[[Double]]]?
            let cached_scale: [[[Double]]]?
            let bias_labels: [String]?
            let bias_cached_scale: [[[Double]]]?
        }
        struct Lens: Decodable {
            let labels: [String]
            let top_ids: [[[Int]]]
            let top_probs: [[[Double]]]
            let entropy: [[Double]]
            let target_probs: [[Double]]
            let target_ranks: [[Int]]
        }
        struct Attribution: Decodable {
            let labels: [String]?
            let answer: [[Double]]       // [position, entry]
            let diff: [[Double]]
        }
        struct DLA: Decodable {
            let component: Attribution
            let head: Attribution
            let attn_bias: Attribution
            let neuron: Attribution
        }
        struct TopNeurons: Decodable {
            let position: Int
            let by_activation: [[Double]]   // [layer, neuron, value]
            let by_dla: [[Double]]
        }
        struct Effect: Decodable {
            let layer: Int
            let neuron: Int
            let effect: [Double]
            let promoted: [Int]
            let suppressed: [Int]
        }
        struct Neurons: Decodable {
            let activations: [[[Double]]]   // [layer, position, d_mlp]
            let top: [TopNeurons]
            let effects: [Effect]
        }
        let prompt: String
        let token_ids: [Int]
        let positions: [Int]
        let answer: Int
        let wrong: Int
        let top_k: Int
        let accumulated: Stack
        let decompose: Stack
        let heads: Stack
        let lens: Lens
        let dla: DLA
        let neurons: Neurons
    }

    let name: String
    let reference: Reference
    let model: LoadedModel
    let weights: ProcessedWeights
    let run: ForwardResult

    static func modelFolder(_ model: String) -> URL { GoldenFixtures.modelFolder(model) }

    /// How many cases each model's folder holds.
    static let expectedCounts = ["gpt2-tiny-a": 2, "gpt2-tiny-b": 3, "llama-tiny": 2, "pythia-tiny": 1]

    /// Every recorded case, each with its model opened and run on the recorded tokens (fails the
    /// calling test unless every expected case was read).
    static func all(file: StaticString = #filePath, line: UInt = #line) throws -> [ResidualGoldenCase] {
        var cases: [ResidualGoldenCase] = []
        // GPT-2s first (tests index into the first cases), then a Llama-shaped model (RMSNorm, rotary,
        // GQA, gated MLP) and a Pythia-shaped one (parallel blocks, partial rotary).
        for modelName in ["gpt2-tiny-a", "gpt2-tiny-b", "llama-tiny", "pythia-tiny"] {
            let before = cases.count
            let dir = GoldenFixtures.analysis("lens/\(modelName)")
            let model = try LoadedModel(folder: modelFolder(modelName))
            let weights = ProcessedWeights(model.transformer)
            for fileName in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where fileName.hasSuffix(".json") {
                let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: dir.appendingPathComponent(fileName)))
                XCTAssertEqual(try model.tokenize(reference.prompt), reference.token_ids, "\(modelName)/\(fileName) tokens")
                XCTAssertEqual(reference.positions.count, 2, "\(modelName)/\(fileName): positions recorded", file: file, line: line)
                let run = try model.transformer.run(reference.token_ids)
                cases.append(ResidualGoldenCase(name: "\(modelName)/\(fileName)", reference: reference, model: model,
                                                weights: weights, run: run))
            }
            XCTAssertEqual(cases.count - before, expectedCounts[modelName], "\(modelName): lens golden cases read",
                           file: file, line: line)
        }
        return cases
    }
}

extension ResidualStack {
    /// The stack flattened in TransformerLens's [entry, position, d_model] order.
    var flat: [Float] { values.scalars }
}

extension Array where Element == [[Double]] {
    var flat: [Double] { flatMap { $0.flatMap { $0 } } }
}

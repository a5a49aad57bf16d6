import ArgumentParser
import Foundation
import MechAnalysis
import MechModels
import MechTensor

/// `mechscope bench-lens`: how long the residual-stream analyses take once the forward pass is
/// cached — the cost a viewer pays each time it shows a lens or an attribution. Figures only.
/// Tests/golden/analysis/time_lens_tl4.py times the same steps in TransformerLens 4 on the same tokens.
struct LogitLensBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-lens",
        abstract: "Time the logit lens and direct logit attribution on a cached forward pass of random tokens.")

    @OptionGroup var modelOptions: ModelOptions
    @Option(parsing: .unconditional, help: "Prompt length in tokens (seeded random ids, as `bench`).") var tokens = 64
    @Option(name: .customLong("top-k"), parsing: .unconditional, help: "Tokens the lens keeps per layer.") var topK = 10
    @Option(parsing: .unconditional, help: "Timed runs per step (the median is reported).") var runs = 20

    func validate() throws {
        guard tokens >= 1 else { throw ValidationError("--tokens must be at least 1") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard topK >= 1 else { throw InputError.mustBePositive(option: "--top-k", value: topK) }
    }

    func run() throws {
        let model = try modelOptions.open(for: "bench-lens", needs: [.lmHead])
        let c = model.config
        let transformer = model.transformer
        let ids = BenchCommand.randomTokens(count: min(tokens, c.nContext), vocab: c.vocabSize)
        let last = ids.count - 1
        print("model      \(model.folder.path)")
        print("shape      \(c.nLayers)×\(c.dModel), \(c.nHeads) heads, d_mlp \(c.dMLP), vocab \(c.vocabSize); \(ids.count) tokens"
              + (tokens > c.nContext ? " (--tokens \(tokens) is beyond the context of \(c.nContext))" : ""))
        print("openblas   \(OpenBLASKernelSelection.summary)")

        let run = try transformer.run(ids)       // also pages the weights in
        let weights = try timed("ProcessedWeights (once per model)", runs: 1) { ProcessedWeights(transformer) }
        _ = try timed("forward pass, full cache + logits", runs: max(1, runs / 4)) { try transformer.run(ids) }
        let (answer, wrong) = Self.topTwo(run.logits.row(last))
        let direction = try DirectLogitAttribution.direction(weights, answer: answer, wrong: wrong)

        _ = try timed("logit lens, last position, all layers, top-\(topK)", runs: runs) {
            try LogitLens.read(transformer, weights, run, positions: [last], topK: topK)
        }
        _ = try timed("logit lens, same + target rank/prob", runs: runs) {
            try LogitLens.read(transformer, weights, run, positions: [last], topK: topK, targets: [answer])
        }
        _ = try timed("DLA per head (+ biases, remainder), last position", runs: runs) {
            try DirectLogitAttribution.heads(transformer, weights, run, positions: [last], direction: direction)
        }
        _ = try timed("DLA per head, all \(ids.count) positions", runs: runs) {
            try DirectLogitAttribution.heads(transformer, weights, run, positions: Array(0..<ids.count), direction: direction)
        }
        _ = try timed("DLA per component, last position", runs: runs) {
            try DirectLogitAttribution.components(transformer, run, positions: [last], direction: direction)
        }
        if !c.attnOnly {
            _ = try timed("DLA per neuron, last position", runs: runs) {
                try DirectLogitAttribution.neurons(transformer, weights, run, positions: [last], direction: direction)
            }
        }
        print("notes      answer/wrong = the model's top two tokens at the last position (#\(answer), #\(wrong)); "
              + "each row is the median of its runs on the cached pass.")
    }

    /// Runs `body` `runs` times and prints the median; returns the last result.
    private func timed<T>(_ label: String, runs: Int, _ body: () throws -> T) throws -> T {
        var result = try body()           // warm-up
        var times: [Double] = []
        for _ in 0..<runs {
            let start = Clock.now()
            result = try body()
            times.append(Clock.since(start))
        }
        let median = times.sorted()[times.count / 2]
        print(label.padding(toLength: 52, withPad: " ", startingAt: 0) + String(format: "%9.3f ms", median * 1000))
        return result
    }

    private static func topTwo(_ logits: Tensor) -> (Int, Int) {
        let top = TopK.indices(of: logits, k: 2)
        return (top[0], top.count > 1 ? top[1] : top[0])
    }
}

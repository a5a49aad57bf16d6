import ArgumentParser
import Foundation
import MechModels

/// `mechscope similarity MODEL "a" "b"`: the cosine similarity of two sentences' embeddings, pooled
/// as the sentence-transformers folder says (modules.json, 1_Pooling/config.json).
struct SimilarityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Cosine similarity of two sentences' embeddings (a sentence-transformers encoder folder).")

    @OptionGroup var modelOptions: ModelOptions
    @Argument(help: "The first sentence.") var first: String
    @Argument(help: "The second sentence.") var second: String
    @Flag(help: "Print JSON (both sentences' token ids, the pooling and the cosine similarity).") var json = false

    struct Report: Encodable {
        var folder: String
        var pooling: String
        var a: String
        var b: String
        var a_token_ids: [Int]
        var b_token_ids: [Int]
        var cosine: Double
    }

    func run() throws {
        let model = try modelOptions.open()
        let pooling = try model.requiredSentencePooling()
        let a = try InputError.naming("the first text") { try model.sentenceEmbedding(first) }
        let b = try InputError.naming("the second text") { try model.sentenceEmbedding(second) }
        let report = Report(folder: model.folder.path, pooling: pooling.description, a: first, b: second,
                            a_token_ids: a.tokens, b_token_ids: b.tokens,
                            cosine: SentencePooling.cosine(a.vector, b.vector))
        try NonFiniteGuard.print(report, json: json, model: model, prompts: [a.tokens, b.tokens]) {
            print("cosine similarity \(String(format: "%.4f", report.cosine))  (\(pooling.description); "
                  + "\(Plural.count(a.tokens.count, "token")) and \(Plural.count(b.tokens.count, "token")))")
        }
    }
}

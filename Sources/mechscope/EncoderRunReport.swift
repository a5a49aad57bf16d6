import Foundation
import MechModels
import MechTensor

/// `mechscope run` on an encoder (no LM head): the tokens, a summary of each token's output vector
/// (the last block's hook_normalized_resid_post) and, for a sentence-transformers folder, the pooled
/// sentence embedding.
struct EncoderRunReport: Encodable {
    struct TokenOutput: Encodable {
        var position: Int
        var token: String
        var norm: Double
        var mean: Double
        var first: [Float]
    }
    struct Sentence: Encodable {
        var pooling: String
        /// Tokens pooled: all of them, or the first max_seq_length (sentence_bert_config.json) as sentence-transformers truncates.
        var tokens_pooled: Int
        var dimensions: Int
        var norm: Double
        var values: [Float]
    }

    static let firstValues = 6

    var prompt: String
    var model_type: String
    var token_ids: [Int]
    var tokens: [String]
    var display_tokens: [String]
    /// The hook the token outputs were read from.
    var output_hook: String
    var token_outputs: [TokenOutput]
    /// nil unless the folder is a sentence-transformers folder.
    var sentence_embedding: Sentence?
    /// Why there is no sentence embedding, when the folder's pooling could not be read.
    var sentence_embedding_error: String?

    init(model: LoadedModel, prompt: String, ids: [Int]) throws {
        let outputs = try model.tokenOutputs(ids)                   // [pos, d_model]
        let d = outputs.shape[1]
        func raw(_ id: Int) -> String { model.tokenizer?.decode([id]) ?? "#\(id)" }
        func shown(_ id: Int) -> String { model.tokenizer?.displayText(of: id) ?? "#\(id)" }
        self.prompt = prompt
        model_type = model.config.modelType
        token_ids = ids
        tokens = ids.map(raw)
        display_tokens = ids.map(shown)
        output_hook = model.tokenOutputHook.name
        token_outputs = ids.indices.map { p in
            let row = outputs.row(p).scalars
            let sum = row.reduce(0.0) { $0 + Double($1) }
            let squares = row.reduce(0.0) { $0 + Double($1) * Double($1) }
            return TokenOutput(position: p, token: shown(ids[p]), norm: squares.squareRoot(), mean: sum / Double(d),
                               first: Array(row.prefix(Self.firstValues)))
        }
        if let pooling = model.sentencePooling {
            let pooled = pooling.truncated(ids)
            let vector = pooling.embed(pooled == ids ? outputs : try model.tokenOutputs(pooled))
            let norm = vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            sentence_embedding = Sentence(pooling: pooling.description, tokens_pooled: pooled.count, dimensions: vector.count, norm: norm, values: vector)
        }
        sentence_embedding_error = model.sentencePoolingError.map { "\($0)" }
    }

    func printText() {
        print("\(token_ids.count) tokens: " + display_tokens.map { "[\($0)]" }.joined())
        print("ids: \(token_ids.map(String.init).joined(separator: " "))")
        print("\(model_type) encoder: no LM head, so no next-token prediction")
        print("token outputs (\(output_hook)):")
        print("  pos  token               norm      mean  first values")
        for t in token_outputs {
            let quoted = "'\(t.token)'"
            let padded = quoted + String(repeating: " ", count: max(0, 16 - quoted.count))
            let values = t.first.map { String(format: "%+.4f", $0) }.joined(separator: " ")
            print(String(format: "  %3d  ", t.position) + padded + String(format: " %8.4f  %+.5f  ", t.norm, t.mean) + values + " …")
        }
        if let s = sentence_embedding {
            let truncation = s.tokens_pooled < token_ids.count ? ", truncated to \(s.tokens_pooled) tokens (max_seq_length)" : ""
            print("sentence embedding (\(s.pooling)\(truncation)): \(s.dimensions) values, norm \(String(format: "%.6f", s.norm))")
            print("  " + s.values.prefix(8).map { String(format: "%+.5f", $0) }.joined(separator: " ") + " …")
        } else if let sentence_embedding_error {
            print("no sentence embedding: \(sentence_embedding_error)")
        }
    }
}

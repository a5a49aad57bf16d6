/// Interprets a parsed `tokenizer.json` (Hugging Face `tokenizers` format) as tokenizer components.
///
/// Anything that would change token boundaries and is unsupported is rejected with an error naming
/// it and its JSON path; `truncation` and `padding` do not affect `encode` here and are ignored.
struct TokenizerJSONReader {
    /// The file's path, for error messages.
    let path: String

    func components(from root: JSONValue) throws -> TokenizerComponents {
        guard root.objectMembers != nil else { throw invalid("top level must be an object, found \(root.typeName)") }
        guard let modelValue = root["model"], modelValue.objectMembers != nil else {
            throw invalid("missing \"model\" object")
        }
        let normalizers = try readNormalizers(root["normalizer"] ?? .null, at: "normalizer")
        let preTokenizers = try readPreTokenizers(root["pre_tokenizer"] ?? .null, at: "pre_tokenizer")
        let decoder = TokenizerDecoder(steps: try readDecoderSteps(root["decoder"] ?? .null, at: "decoder"))
        let model = try readModel(modelValue)
        let addedTokens = try readAddedTokens(root["added_tokens"] ?? .array([]), model: model)
        let postProcessor = try readPostProcessor(root["post_processor"] ?? .null, model: model, addedTokens: addedTokens)
        return TokenizerComponents(model: model, normalizers: normalizers, preTokenizers: preTokenizers,
                                   decoder: decoder, addedTokens: addedTokens, postProcessor: postProcessor)
    }

    func invalid(_ problem: String) -> TokenizerError {
        .invalidContent(path: path, problem: problem)
    }

    func typeName(of value: JSONValue, in section: String) throws -> String {
        guard let type = value["type"]?.stringValue else { throw invalid("\(section) has no \"type\" string") }
        return type
    }

    func bool(_ value: JSONValue, _ key: String, default fallback: Bool?, in section: String) throws -> Bool {
        guard let member = value[key], !member.isNull else {
            guard let fallback else { throw invalid("\(section) is missing boolean \"\(key)\"") }
            return fallback
        }
        guard let flag = member.boolValue else { throw invalid("\(section).\(key) must be a boolean, found \(member.typeName)") }
        return flag
    }

    func optionalString(_ value: JSONValue, _ key: String, in section: String) throws -> String? {
        guard let member = value[key], !member.isNull else { return nil }
        guard let text = member.stringValue else { throw invalid("\(section).\(key) must be a string, found \(member.typeName)") }
        return text
    }

    // MARK: model

    private func readModel(_ value: JSONValue) throws -> TokenizerModel {
        // Files from early `tokenizers` versions may omit the model type; merges identify BPE.
        let type = value["type"] == nil && value["merges"] != nil ? "BPE" : try typeName(of: value, in: "model")
        switch type {
        case "BPE":
            return .bpe(try readBPE(value))
        case "Unigram":
            return .unigram(try readUnigram(value))
        case "WordLevel":
            let vocabulary = try readVocabulary(value["vocab"], section: "model.vocab")
            let unknownToken = try optionalString(value, "unk_token", in: "model") ?? "<unk>"
            return .wordLevel(WordLevelModel(vocabulary: vocabulary, unknownToken: unknownToken))
        case "WordPiece":
            let vocabulary = try readVocabulary(value["vocab"], section: "model.vocab")
            var maximum = 100
            if let member = value["max_input_chars_per_word"], !member.isNull {
                guard let number = member.intValue, number >= 0 else {
                    throw invalid("model.max_input_chars_per_word must be a non-negative integer")
                }
                maximum = number
            }
            return .wordPiece(WordPieceModel(
                tokenToID: vocabulary,
                unknownToken: try optionalString(value, "unk_token", in: "model") ?? "[UNK]",
                continuingSubwordPrefix: try optionalString(value, "continuing_subword_prefix", in: "model") ?? "##",
                maximumInputCharacters: maximum))
        default:
            throw TokenizerError.unsupportedComponent(path: path, kind: "model", type: type, location: "model")
        }
    }

    /// `{"type": "Unigram", "unk_id": 2, "vocab": [["<pad>", 0.0], ...], "byte_fallback": false}`.
    private func readUnigram(_ value: JSONValue) throws -> UnigramModel {
        guard let items = value["vocab"]?.arrayValue else { throw invalid("model.vocab must be an array of [piece, score] pairs") }
        guard items.count < Tokenizer.maximumTokenID else { throw invalid("model.vocab has \(items.count) pieces, too many") }
        let pieces: [(String, Double)] = try items.enumerated().map { index, item in
            guard let pair = item.arrayValue, pair.count == 2, let piece = pair[0].stringValue, let score = pair[1].doubleValue else {
                throw invalid("model.vocab[\(index)] must be a [piece, score] pair")
            }
            return (piece, score)
        }
        var unknownID: Int? = nil
        if let member = value["unk_id"], !member.isNull {
            guard let id = member.intValue else { throw invalid("model.unk_id must be an integer or null") }
            unknownID = id
        }
        return try UnigramModel(pieces: pieces, unknownID: unknownID,
                                usesByteFallback: try bool(value, "byte_fallback", default: false, in: "model"), path: path)
    }

    private func readBPE(_ value: JSONValue) throws -> BPEModel {
        if let dropout = value["dropout"], !dropout.isNull {
            guard let probability = dropout.doubleValue else { throw invalid("model.dropout must be a number or null") }
            if probability > 0 {
                throw TokenizerError.unsupportedOption(path: path, option: "model.dropout=\(probability) (random merges)")
            }
        }
        let vocabulary = try readVocabulary(value["vocab"], section: "model.vocab")
        let merges = try readMerges(value["merges"] ?? .array([]))
        return try BPEModel(
            vocabulary: vocabulary, merges: merges,
            unknownToken: try optionalString(value, "unk_token", in: "model"),
            continuingSubwordPrefix: try optionalString(value, "continuing_subword_prefix", in: "model"),
            endOfWordSuffix: try optionalString(value, "end_of_word_suffix", in: "model"),
            fusesUnknown: try bool(value, "fuse_unk", default: false, in: "model"),
            usesByteFallback: try bool(value, "byte_fallback", default: false, in: "model"),
            ignoresMerges: try bool(value, "ignore_merges", default: false, in: "model"),
            path: path)
    }

    /// A `{"token": id, ...}` object. A repeated key keeps its last id, as Hugging Face's hash map does.
    func readVocabulary(_ value: JSONValue?, section: String) throws -> [ExactText: Int] {
        guard let members = value?.objectMembers else { throw invalid("\(section) must be an object of token: id") }
        var vocabulary: [ExactText: Int] = [:]
        vocabulary.reserveCapacity(members.count)
        for (token, idValue) in members {
            guard let id = idValue.intValue, id >= 0, id < Tokenizer.maximumTokenID else {
                throw invalid("\(section) entry \"\(token)\" has id \(idValue.doubleValue != nil ? "out of range" : "of type \(idValue.typeName)")")
            }
            vocabulary[ExactText(token)] = id
        }
        return vocabulary
    }

    /// Merges as `"a b"` strings (split on the single space) or as `["a", "b"]` pairs.
    private func readMerges(_ value: JSONValue) throws -> [(String, String)] {
        guard let items = value.arrayValue else { throw invalid("model.merges must be an array") }
        var merges: [(String, String)] = []
        merges.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            if let text = item.stringValue {
                guard let pair = Self.splitMerge(text) else {
                    throw invalid("model.merges[\(index)] \"\(text)\" is not two space-separated tokens")
                }
                merges.append(pair)
            } else if let pair = item.arrayValue, pair.count == 2,
                      let left = pair[0].stringValue, let right = pair[1].stringValue {
                merges.append((left, right))
            } else {
                throw invalid("model.merges[\(index)] must be \"a b\" or [\"a\", \"b\"]")
            }
        }
        return merges
    }

    /// Splits a legacy merge line at U+0020 (byte-wise: a space before a combining mark still counts);
    /// nil unless there are exactly two parts, matching Hugging Face's `split(' ')` check.
    static func splitMerge(_ text: String) -> (String, String)? {
        let parts = text.utf8.split(separator: 0x20, maxSplits: Int.max, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self))
    }

    // MARK: added tokens

    /// `added_tokens` entries. A token whose content is already in the model vocabulary takes the
    /// model's id, as Hugging Face does when it rebuilds the added vocabulary.
    private func readAddedTokens(_ value: JSONValue, model: TokenizerModel) throws -> [TokenizerAddedToken] {
        guard let items = value.arrayValue else { throw invalid("added_tokens must be an array") }
        return try items.enumerated().map { index, item in
            let section = "added_tokens[\(index)]"
            guard let content = item["content"]?.stringValue else { throw invalid("\(section) has no \"content\" string") }
            guard let fileID = item["id"]?.intValue, fileID >= 0, fileID < Tokenizer.maximumTokenID else {
                throw invalid("\(section) (\"\(content)\") has no valid \"id\"")
            }
            let isSpecial = try bool(item, "special", default: false, in: section)
            return TokenizerAddedToken(
                id: model.tokenToID[ExactText(content)] ?? fileID,
                content: content,
                isSpecial: isSpecial,
                isSingleWord: try bool(item, "single_word", default: false, in: section),
                stripsLeft: try bool(item, "lstrip", default: false, in: section),
                stripsRight: try bool(item, "rstrip", default: false, in: section),
                isNormalized: try bool(item, "normalized", default: !isSpecial, in: section))
        }
    }
}

/// The `tokenizer.json` parts `transformers` builds from a GGUF vocabulary before its special tokens and
/// `tokenizer.ggml.pre` are applied: `GPT2Tokenizer`'s for a byte-level one, `LlamaTokenizer`'s for a
/// SentencePiece one (Phi-3's variant prepends `▁` with a normalizer and has no pre-tokenizer).
struct GGUFVocabulary {
    struct AddedToken {
        let id: Int
        let content: String
        let special: Bool
    }

    var model: JSONValue
    var normalizer: JSONValue = .null
    var preTokenizer: JSONValue
    var decoder: JSONValue
    /// Whether vocabulary keys are spelled in the byte alphabet.
    let isByteLevel: Bool
    /// The BOS, EOS and unknown tokens the `transformers` class that builds the vocabulary names by
    /// default (`GPT2Tokenizer`'s `<|endoftext|>`, `LlamaTokenizer`'s `<s>` `</s>` `<unk>`); it adds
    /// them as special tokens whatever the file says, with new ids when the vocabulary lacks them.
    let defaultSpecialTokens: [String]
    /// The vocabulary's keys (a token respelled into the byte alphabet where needed) to ids; a repeated
    /// key keeps its last id, as a Python dict does.
    let ids: [ExactText: Int]

    static func byteLevel(_ metadata: GGUFTokenizerMetadata) -> GGUFVocabulary {
        let keys = metadata.tokens.map(ByteLevelAlphabet.spelled)
        let byteLevel: JSONValue = .object(["type": .string("ByteLevel"), "add_prefix_space": .bool(false),
                                            "trim_offsets": .bool(true), "use_regex": .bool(true)])
        return GGUFVocabulary(
            model: bpe(keys: keys, merges: (metadata.merges ?? []).map(JSONValue.string), sentencePiece: false),
            preTokenizer: byteLevel,
            decoder: .object(["type": .string("ByteLevel"), "add_prefix_space": .bool(true),
                              "trim_offsets": .bool(true), "use_regex": .bool(true)]),
            isByteLevel: true, defaultSpecialTokens: ["<|endoftext|>"], ids: index(keys))
    }

    static func sentencePiece(_ metadata: GGUFTokenizerMetadata, prefixByNormalizer: Bool) -> GGUFVocabulary {
        let merges: [JSONValue]
        if let written = metadata.merges {
            merges = written.map(JSONValue.string)
        } else {
            let scores = metadata.scores.isEmpty ? Array(repeating: 0, count: metadata.tokens.count) : metadata.scores
            merges = GGUFSentencePieceMerges.merges(tokens: metadata.tokens, scores: scores)
                .map { JSONValue.array([.string($0.0), .string($0.1)]) }
        }
        let space = "\u{2581}"
        var vocabulary = GGUFVocabulary(
            model: bpe(keys: metadata.tokens, merges: merges, sentencePiece: true),
            preTokenizer: .object(["type": .string("Metaspace"), "replacement": .string(space),
                                   "prepend_scheme": .string("first"), "split": .bool(false)]),
            decoder: .object(["type": .string("Sequence"), "decoders": .array([
                .object(["type": .string("Replace"), "pattern": .object(["String": .string(space)]), "content": .string(" ")]),
                .object(["type": .string("ByteFallback")]),
                .object(["type": .string("Fuse")]),
                .object(["type": .string("Strip"), "content": .string(" "), "start": .integer(1), "stop": .integer(0)]),
            ])]),
            isByteLevel: false, defaultSpecialTokens: ["<s>", "</s>", "<unk>"], ids: index(metadata.tokens))
        if prefixByNormalizer {
            vocabulary.normalizer = .object(["type": .string("Sequence"), "normalizers": .array([
                .object(["type": .string("Prepend"), "prepend": .string(space)]),
                .object(["type": .string("Replace"), "pattern": .object(["String": .string(" ")]), "content": .string(space)]),
            ])])
            vocabulary.preTokenizer = .null
        }
        return vocabulary
    }

    private static func index(_ keys: [String]) -> [ExactText: Int] {
        var ids: [ExactText: Int] = [:]
        for (id, key) in keys.enumerated() { ids[ExactText(key)] = id }
        return ids
    }

    private static func bpe(keys: [String], merges: [JSONValue], sentencePiece: Bool) -> JSONValue {
        let vocab = JSONObject(members: keys.enumerated().map { (key: $1, value: JSONValue.integer($0)) })
        return .object(["type": .string("BPE"), "dropout": .null, "unk_token": .null,
                        "continuing_subword_prefix": .string(""), "end_of_word_suffix": .string(""),
                        "fuse_unk": .bool(sentencePiece), "byte_fallback": .bool(sentencePiece),
                        "ignore_merges": .bool(false), "vocab": .object(vocab), "merges": .array(merges)])
    }

    /// The added tokens, in the order `transformers` adds them: the class's default special tokens,
    /// control tokens (special), user-defined tokens in the vocabulary (not special), then the file's
    /// BOS, EOS, unknown and padding tokens (special) not added yet. A token's id is its vocabulary id; one whose text is not a vocabulary
    /// key (a control token respelled into the byte alphabet) gets the next free id, as `tokenizers` gives it.
    func addedTokens(_ metadata: GGUFTokenizerMetadata) -> [AddedToken] {
        var added: [AddedToken] = []
        var seen = Set<ExactText>()
        var nextID = ids.count
        func add(_ content: String, special: Bool) {
            let key = ExactText(content)
            guard !content.isEmpty, seen.insert(key).inserted else { return }
            let id: Int
            if let known = ids[key] {
                id = known
            } else {
                id = nextID
                nextID += 1
            }
            added.append(AddedToken(id: id, content: content, special: special))
        }
        for token in defaultSpecialTokens { add(token, special: true) }
        for (id, token) in metadata.tokens.enumerated() where metadata.type(of: id) == .control {
            if !isByteLevel || ByteLevelAlphabet.isSpelled(token) { add(token, special: true) }
        }
        for (id, token) in metadata.tokens.enumerated() where metadata.type(of: id) == .userDefined {
            if ids[ExactText(token)] != nil || seen.contains(ExactText(token)) { add(token, special: false) }
        }
        for id in [metadata.bosID, metadata.eosID, metadata.unknownID, metadata.paddingID].compactMap({ $0 }) {
            add(metadata.tokens[id], special: true)
        }
        return added
    }
}

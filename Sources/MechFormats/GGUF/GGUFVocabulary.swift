/// The `tokenizer.json` parts `transformers` builds from a GGUF vocabulary before its special tokens and
/// `tokenizer.ggml.pre` are applied: `GPT2Tokenizer`'s for a byte-level one, `LlamaTokenizer`'s,
/// Phi-3's or `GemmaTokenizer`'s for a SentencePiece one.
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
    /// The special tokens the `transformers` class that builds the vocabulary names by default
    /// (`GPT2Tokenizer`'s `<|endoftext|>`; `LlamaTokenizer`'s `<s>` `</s>` `<unk>`; `GemmaTokenizer`'s
    /// `<bos>` `<eos>` `<unk>` `<pad>` `<mask>`); it adds them as special tokens whatever the file says,
    /// with new ids when the vocabulary lacks them.
    let defaultSpecialTokens: [String]
    /// The vocabulary's keys (a token respelled into the byte alphabet where needed) to ids; a repeated
    /// key keeps its last id, as a Python dict does.
    let ids: [ExactText: Int]
    /// The EOS token the class's own post-processor appends when the file states no add-BOS/EOS flag
    /// (`T5Tokenizer`'s `</s>`), nil when the class appends nothing.
    var classEOS: String? = nil

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

    /// How a `transformers` class shapes a SentencePiece vocabulary.
    enum SentencePieceStyle {
        /// `LlamaTokenizer`: Metaspace puts `▁` before the text (prepend scheme "first") and for spaces.
        case llama
        /// Phi-3: the same vocabulary, `▁` prepended and spaces replaced by a normalizer, no pre-tokenizer.
        case phi3
        /// `GemmaTokenizer` for a Gemma 1–3 file: spaces become `▁` (nothing prepended); whitespace-only
        /// tokens holding a space are respelled as that many `▁`, and derived merges follow file order
        /// instead of the scores.
        case gemma
        /// `GemmaTokenizer` for a `tokenizer.ggml.model` "gemma4" file: the tokens as written, merges
        /// from the file or the scores.
        case gemma4

        var isGemma: Bool { self == .gemma || self == .gemma4 }
    }

    static func sentencePiece(_ metadata: GGUFTokenizerMetadata, style: SentencePieceStyle) throws -> GGUFVocabulary {
        let space = "\u{2581}"
        let keys = style == .gemma ? metadata.tokens.map(gemmaSpelling) : metadata.tokens
        let merges: [JSONValue]
        if let written = metadata.merges {
            merges = written.map(JSONValue.string)
        } else {
            let scores: [Double]
            if style == .gemma {
                scores = keys.indices.map { -Double($0) }
            } else {
                // Without merges the scores rank them; transformers cannot build the vocabulary without either.
                guard !metadata.scores.isEmpty else {
                    throw GGUFError.missingMetadata(path: metadata.path, key: "tokenizer.ggml.scores",
                                                    expected: "an array of numbers (the file has no merges either)")
                }
                scores = metadata.scores
            }
            merges = GGUFSentencePieceMerges.merges(tokens: keys, scores: scores)
                .map { JSONValue.array([.string($0.0), .string($0.1)]) }
        }
        let ids = index(keys)
        func replace(_ pattern: String, _ content: String) -> JSONValue {
            .object(["type": .string("Replace"), "pattern": .object(["String": .string(pattern)]), "content": .string(content)])
        }
        var decoders = [replace(space, " "), .object(["type": .string("ByteFallback")]), .object(["type": .string("Fuse")])]
        if !style.isGemma {
            decoders.append(.object(["type": .string("Strip"), "content": .string(" "), "start": .integer(1), "stop": .integer(0)]))
        }
        let unknown = style.isGemma && ids[ExactText("<unk>")] != nil ? "<unk>" : nil
        var vocabulary = GGUFVocabulary(
            model: bpe(keys: keys, merges: merges, sentencePiece: true, unknownToken: unknown),
            preTokenizer: .object(["type": .string("Metaspace"), "replacement": .string(space),
                                   "prepend_scheme": .string("first"), "split": .bool(false)]),
            decoder: .object(["type": .string("Sequence"), "decoders": .array(decoders)]),
            isByteLevel: false,
            defaultSpecialTokens: style.isGemma ? ["<bos>", "<eos>", "<unk>", "<pad>", "<mask>"] : ["<s>", "</s>", "<unk>"],
            ids: ids)
        switch style {
        case .llama:
            break
        case .phi3:
            vocabulary.normalizer = .object(["type": .string("Sequence"), "normalizers": .array([
                .object(["type": .string("Prepend"), "prepend": .string(space)]), replace(" ", space),
            ])])
            vocabulary.preTokenizer = .null
        case .gemma, .gemma4:
            vocabulary.normalizer = replace(" ", space)
            vocabulary.preTokenizer = .object(["type": .string("Split"), "pattern": .object(["String": .string(" ")]),
                                               "behavior": .string("MergedWithPrevious"), "invert": .bool(false)])
        }
        return vocabulary
    }

    /// Gemma files store a token of spaces (and other whitespace) with real spaces: such a token is
    /// looked up as one `▁` per character (Python: `" " in t and not t.strip()`).
    private static func gemmaSpelling(_ token: String) -> String {
        let scalars = token.unicodeScalars
        let isPythonSpace = { (s: Unicode.Scalar) in s.properties.isWhitespace || (0x1C...0x1F).contains(s.value) }
        guard scalars.contains(" "), scalars.allSatisfy(isPythonSpace) else { return token }
        return String(repeating: "\u{2581}", count: scalars.count)
    }

    /// `T5Tokenizer` on a `tokenizer.ggml.model` "t5" vocabulary: a Unigram model over the pieces and
    /// scores (unknown id 2), whitespace split then `▁` before every word, the first 100 `[PADn]`
    /// placeholders renamed `<extra_id_99>`, `<extra_id_98>`, ... and all 100 sentinels added as special
    /// tokens, `</s>` appended unless the file states its own flags.
    static func unigram(_ metadata: GGUFTokenizerMetadata) throws -> GGUFVocabulary {
        guard metadata.scores.count == metadata.tokens.count else {
            throw GGUFError.missingMetadata(path: metadata.path, key: "tokenizer.ggml.scores", expected: "an array of numbers (one per token)")
        }
        let sentinels = 100
        var keys = metadata.tokens
        let placeholders = keys.indices.filter { isPaddingPlaceholder(keys[$0]) }
        for (offset, index) in placeholders.prefix(sentinels).enumerated() { keys[index] = "<extra_id_\(sentinels - 1 - offset)>" }
        let space = "\u{2581}"
        let metaspace: JSONValue = .object(["type": .string("Metaspace"), "replacement": .string(space),
                                            "prepend_scheme": .string("always"), "split": .bool(true)])
        var vocabulary = GGUFVocabulary(
            model: .object(["type": .string("Unigram"), "unk_id": .integer(2), "byte_fallback": .bool(false),
                            "vocab": .array(zip(keys, metadata.scores).map { .array([.string($0), .number($1)]) })]),
            preTokenizer: .object(["type": .string("Sequence"), "pretokenizers": .array([
                .object(["type": .string("WhitespaceSplit")]), metaspace,
            ])]),
            decoder: metaspace, isByteLevel: false,
            defaultSpecialTokens: ["</s>", "<unk>", "<pad>"] + (0..<sentinels).map { "<extra_id_\($0)>" },
            ids: index(keys))
        vocabulary.classEOS = "</s>"
        return vocabulary
    }

    /// `[PAD123]`, llama.cpp's name for a T5 sentinel slot.
    private static func isPaddingPlaceholder(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count > 5, bytes.starts(with: Array("[PAD".utf8)), bytes.last == UInt8(ascii: "]") else { return false }
        return bytes[4..<(bytes.count - 1)].allSatisfy { (0x30...0x39).contains($0) }
    }

    private static func index(_ keys: [String]) -> [ExactText: Int] {
        var ids: [ExactText: Int] = [:]
        for (id, key) in keys.enumerated() { ids[ExactText(key)] = id }
        return ids
    }

    private static func bpe(keys: [String], merges: [JSONValue], sentencePiece: Bool, unknownToken: String? = nil) -> JSONValue {
        let vocab = JSONObject(members: keys.enumerated().map { (key: $1, value: JSONValue.integer($0)) })
        return .object(["type": .string("BPE"), "dropout": .null, "unk_token": unknownToken.map(JSONValue.string) ?? .null,
                        "continuing_subword_prefix": .string(""), "end_of_word_suffix": .string(""),
                        "fuse_unk": .bool(sentencePiece), "byte_fallback": .bool(sentencePiece),
                        "ignore_merges": .bool(false), "vocab": .object(vocab), "merges": .array(merges)])
    }

    /// The added tokens, in the order `transformers` adds them: the class's default special tokens,
    /// control tokens (special), user-defined tokens in the vocabulary (not special), then the file's
    /// BOS, EOS, unknown and padding tokens (special) not added yet. Adding a token again keeps its id and
    /// takes the new special flag, as `tokenizers`' `add_tokens` does; the first and last steps add only
    /// missing tokens. A token's id is its vocabulary id; one whose text is not a vocabulary key (a
    /// class default the vocabulary lacks, a token respelled into the byte alphabet) gets the next free id.
    func addedTokens(_ metadata: GGUFTokenizerMetadata) -> [AddedToken] {
        var added: [AddedToken] = []
        var position: [ExactText: Int] = [:]
        var nextID = ids.count
        func add(_ content: String, special: Bool, replacing: Bool) {
            let key = ExactText(content)
            guard !content.isEmpty else { return }
            if let index = position[key] {
                if replacing { added[index] = AddedToken(id: added[index].id, content: content, special: special) }
                return
            }
            let id: Int
            if let known = ids[key] {
                id = known
            } else {
                id = nextID
                nextID += 1
            }
            position[key] = added.count
            added.append(AddedToken(id: id, content: content, special: special))
        }
        for token in defaultSpecialTokens { add(token, special: true, replacing: false) }
        for (id, token) in metadata.tokens.enumerated() where metadata.type(of: id) == .control {
            if !isByteLevel || ByteLevelAlphabet.isSpelled(token) { add(token, special: true, replacing: true) }
        }
        for (id, token) in metadata.tokens.enumerated() where metadata.type(of: id) == .userDefined {
            let key = ExactText(token)
            if ids[key] != nil || position[key] != nil { add(token, special: false, replacing: true) }
        }
        for id in [metadata.bosID, metadata.eosID, metadata.unknownID, metadata.paddingID].compactMap({ $0 }) {
            add(metadata.tokens[id], special: true, replacing: false)
        }
        return added
    }
}

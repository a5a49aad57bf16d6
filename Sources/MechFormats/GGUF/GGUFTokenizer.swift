import Foundation

extension Tokenizer {
    /// The tokenizer a GGUF file carries in its metadata (`tokenizer.ggml.*`), built as `transformers`
    /// builds it from the same file (`AutoTokenizer.from_pretrained(dir, gguf_file=…)`): for a byte-level
    /// BPE vocabulary (`tokenizer.ggml.model` "gpt2") the tokens, in the byte alphabet, and the merges
    /// as written; tokens marked control (type 3) added as special, user-defined ones (type 4) as plain
    /// added tokens; GPT-2's byte-level pre-tokenizer and decoder; no BOS added. The file's tables are
    /// turned into a `tokenizer.json` value and read by the same reader as a Hugging Face folder's.
    public init(gguf file: GGUFFile) throws {
        let path = file.url.path
        func strings(_ key: String) throws -> [String] {
            guard let items = file.metadata[key]?.array else { throw GGUFError.missingMetadata(path: path, key: key, expected: "an array of strings") }
            return try items.map { item in
                guard let s = item.string else { throw GGUFError.missingMetadata(path: path, key: key, expected: "an array of strings") }
                return s
            }
        }
        guard let model = file.metadata["tokenizer.ggml.model"]?.string else {
            throw GGUFError.missingMetadata(path: path, key: "tokenizer.ggml.model", expected: "a string")
        }
        guard model == "gpt2" else { throw GGUFError.unsupportedTokenizer(path: path, model: model, supported: ["gpt2"]) }

        let tokens = try strings("tokenizer.ggml.tokens")
        let merges = try strings("tokenizer.ggml.merges")
        let types = file.metadata["tokenizer.ggml.token_type"]?.array?.map { $0.int ?? 1 } ?? []
        let json = Self.byteLevelJSON(tokens: tokens, merges: merges, types: types)
        let components = try TokenizerJSONReader(path: path).components(from: json)
        func token(_ key: String) -> String? {
            file.metadata["tokenizer.ggml.\(key)"]?.int.flatMap { tokens.indices.contains($0) ? tokens[$0] : nil }
        }
        self.init(components: components, bosToken: token("bos_token_id"), eosToken: token("eos_token_id"))
    }

    /// The `tokenizer.json` `transformers` writes for a byte-level GGUF vocabulary.
    static func byteLevelJSON(tokens: [String], merges: [String], types: [Int]) -> JSONValue {
        let alphabet = Set(ByteLevelAlphabet.scalarForByte)
        func inAlphabet(_ token: String) -> Bool { token.unicodeScalars.allSatisfy(alphabet.contains) }
        // A token written outside the byte alphabet is respelled byte by byte, as transformers does.
        func spelled(_ token: String) -> String {
            inAlphabet(token) ? token
                : String(String.UnicodeScalarView(token.utf8.map { ByteLevelAlphabet.scalarForByte[Int($0)] }))
        }
        let vocab = JSONObject(members: tokens.enumerated().map { (key: spelled($1), value: JSONValue.integer($0)) })
        var added: [JSONValue] = []
        for (id, token) in tokens.enumerated() where id < types.count {
            // 3 is CONTROL (special; skipped when not in the byte alphabet, a llama.cpp mislabel), 4 USER_DEFINED.
            guard (types[id] == 3 && inAlphabet(token)) || types[id] == 4 else { continue }
            added.append(.object(["id": .integer(id), "content": .string(token), "single_word": .bool(false),
                                  "lstrip": .bool(false), "rstrip": .bool(false), "normalized": .bool(false),
                                  "special": .bool(types[id] == 3)]))
        }
        let byteLevel: JSONValue = .object(["type": .string("ByteLevel"), "add_prefix_space": .bool(false),
                                            "trim_offsets": .bool(true), "use_regex": .bool(true)])
        return .object([
            "version": .string("1.0"),
            "added_tokens": .array(added),
            "normalizer": .null,
            "pre_tokenizer": byteLevel,
            "post_processor": .null,
            "decoder": .object(["type": .string("ByteLevel"), "add_prefix_space": .bool(true),
                                "trim_offsets": .bool(true), "use_regex": .bool(true)]),
            "model": .object(["type": .string("BPE"), "dropout": .null, "unk_token": .null,
                              "continuing_subword_prefix": .string(""), "end_of_word_suffix": .string(""),
                              "fuse_unk": .bool(false), "byte_fallback": .bool(false), "ignore_merges": .bool(false),
                              "vocab": .object(vocab), "merges": .array(merges.map(JSONValue.string))]),
        ])
    }
}

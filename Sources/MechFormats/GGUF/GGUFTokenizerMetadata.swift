/// The `tokenizer.ggml.*` metadata of a GGUF file, read as `transformers`' `get_gguf_tokenizer` reads it:
/// the model kind, pre-tokenizer name, vocabulary with scores and token types, merges when written, the
/// special token ids and the add-BOS/EOS flags (a SentencePiece `llama` vocabulary adds BOS unless it says not).
struct GGUFTokenizerMetadata {
    /// llama.cpp's token types (`tokenizer.ggml.token_type`).
    enum TokenType: Int {
        case normal = 1, unknown, control, userDefined, unused, byte
    }

    let path: String
    let architecture: String?
    /// `tokenizer.ggml.model`: "gpt2" (byte-level BPE), "llama" (SentencePiece), ...
    let model: String
    /// `tokenizer.ggml.pre`, the pre-tokenizer name llama.cpp's converter wrote.
    let pre: String?
    let tokens: [String]
    /// One score per token, or empty when the file has none.
    let scores: [Double]
    /// One type per token (llama.cpp's numbering), or empty when the file has none.
    let types: [Int]
    /// `tokenizer.ggml.merges` ("a b" each), nil when absent (SentencePiece files usually have none).
    let merges: [String]?
    let bosID: Int?
    let eosID: Int?
    let unknownID: Int?
    let paddingID: Int?
    let addsBOS: Bool
    let addsEOS: Bool
    /// Whether `addsBOS`/`addsEOS` come from the file (or the loader's rule for its model) rather than
    /// the building class's own post-processor.
    let statesAddFlags: Bool

    init(file: GGUFFile) throws {
        let path = file.url.path
        self.path = path
        let metadata = file.metadata
        func key(_ name: String) -> String { "tokenizer.ggml.\(name)" }
        func array<T>(_ name: String, _ expected: String, _ read: (GGUFValue) -> T?) throws -> [T]? {
            guard let value = metadata[key(name)] else { return nil }
            guard let items = value.array else { throw GGUFError.missingMetadata(path: path, key: key(name), expected: expected) }
            return try items.map { item in
                guard let read = read(item) else { throw GGUFError.missingMetadata(path: path, key: key(name), expected: expected) }
                return read
            }
        }
        guard let model = metadata[key("model")]?.string else {
            throw GGUFError.missingMetadata(path: path, key: key("model"), expected: "a string")
        }
        self.model = model
        architecture = metadata["general.architecture"]?.string
        pre = metadata[key("pre")]?.string
        guard let tokens = try array("tokens", "an array of strings", \.string) else {
            throw GGUFError.missingMetadata(path: path, key: key("tokens"), expected: "an array of strings")
        }
        self.tokens = tokens
        scores = try array("scores", "an array of numbers", \.double) ?? []
        types = try array("token_type", "an array of integers", \.int) ?? []
        merges = try array("merges", "an array of strings", \.string)
        for (name, count) in [("scores", scores.count), ("token_type", types.count)] where count != 0 && count != tokens.count {
            throw GGUFError.missingMetadata(path: path, key: key(name), expected: "an array with one entry per token (\(tokens.count))")
        }
        func tokenID(_ name: String) throws -> Int? {
            guard let value = metadata[key(name)] else { return nil }
            guard let id = value.int, tokens.indices.contains(id) else {
                throw GGUFError.missingMetadata(path: path, key: key(name), expected: "a token id below \(tokens.count)")
            }
            return id
        }
        bosID = try tokenID("bos_token_id")
        eosID = try tokenID("eos_token_id")
        unknownID = try tokenID("unknown_token_id")
        paddingID = try tokenID("padding_token_id")
        func flag(_ name: String) throws -> Bool? {
            guard let value = metadata[key(name)] else { return nil }
            guard let flag = value.bool else { throw GGUFError.missingMetadata(path: path, key: key(name), expected: "a bool") }
            return flag
        }
        // Older SentencePiece files carry no flag, and llama.cpp adds BOS to such a vocabulary unless told not to;
        // a gemma4 file's flag is overridden (its chat template writes <bos> itself).
        let addsBOSFlag = try flag("add_bos_token")
        let addsEOSFlag = try flag("add_eos_token")
        addsBOS = model == "gemma4" ? false : addsBOSFlag ?? (model == "llama")
        addsEOS = addsEOSFlag ?? false
        statesAddFlags = addsBOSFlag != nil || addsEOSFlag != nil || model == "llama" || model == "gemma4"
    }

    func type(of id: Int) -> TokenType? {
        types.indices.contains(id) ? TokenType(rawValue: types[id]) : nil
    }
}

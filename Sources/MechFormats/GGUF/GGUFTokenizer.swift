import Foundation

extension Tokenizer {
    /// The tokenizer a GGUF file carries in its metadata (`tokenizer.ggml.*`), built as `transformers` 5.24
    /// builds it from the same file (`AutoTokenizer.from_pretrained(dir, gguf_file=…)`):
    /// - `tokenizer.ggml.model` "gpt2": byte-level BPE, the tokens in the byte alphabet and the merges as
    ///   written, GPT-2's byte-level pre-tokenizer and decoder;
    /// - "llama": SentencePiece as BPE with byte fallback (`<0xNN>` tokens), merges from the file or
    ///   derived from the scores (`GGUFSentencePieceMerges`), `▁` for spaces with one prepended at the start
    ///   of the text (Metaspace, prepend scheme "first"); Phi-3 prepends it with a normalizer instead,
    ///   Gemma prepends nothing, respells whitespace tokens and derives merges in file order;
    /// - "gemma4": Gemma's SentencePiece shape on the tokens as written, never adding BOS (as transformers
    ///   follows the reference tokenizer there, whatever the file's flag);
    /// - "t5": T5's Unigram (`GGUFVocabulary.unigram`), appending `</s>` unless the file states flags;
    /// - `tokenizer.ggml.pre` naming a known split pattern replaces the pre-tokenizer with that split
    ///   and a regex-free byte-level step (`GGUFPreTokenizerSplits`); other names keep the default;
    /// - tokens typed control added as special tokens (in a byte-level vocabulary only those spelled in
    ///   the byte alphabet), user-defined ones as plain added tokens, the BOS/EOS/unknown/padding tokens
    ///   and the building class's default ones (`<|endoftext|>`; `<s>` `</s>` `<unk>`; Gemma's five) as
    ///   special tokens;
    /// - BOS and EOS added by `encode(_:addSpecialTokens: true)` as `tokenizer.ggml.add_bos_token` /
    ///   `add_eos_token` say (a "llama" vocabulary without the flag adds BOS).
    /// The tables become a `tokenizer.json` value read by the same reader as a Hugging Face folder's.
    public init(gguf file: GGUFFile) throws {
        let metadata = try GGUFTokenizerMetadata(file: file)
        let json = try Self.tokenizerJSON(metadata)
        let components = try TokenizerJSONReader(path: metadata.path).components(from: json)
        self.init(components: components)
        // The file's BOS/EOS or none (transformers' `bos_token_id` is then None): no guessing from names.
        bosTokenID = metadata.bosID.flatMap { id(of: metadata.tokens[$0]) }
        eosTokenID = metadata.eosID.flatMap { id(of: metadata.tokens[$0]) }
    }

    /// The `tokenizer.json` `transformers` builds for the file's tokenizer metadata.
    static func tokenizerJSON(_ metadata: GGUFTokenizerMetadata) throws -> JSONValue {
        var vocabulary: GGUFVocabulary
        switch metadata.model {
        case "gpt2":
            vocabulary = .byteLevel(metadata)
        case "llama":
            switch metadata.architecture {
            case "gemma", "gemma2", "gemma3": vocabulary = try .sentencePiece(metadata, style: .gemma)
            case "phi3": vocabulary = try .sentencePiece(metadata, style: .phi3)
            default: vocabulary = try .sentencePiece(metadata, style: .llama)
            }
        case "gemma4":
            vocabulary = try .sentencePiece(metadata, style: .gemma4)
        case "t5":
            vocabulary = try .unigram(metadata)
        default:
            throw GGUFError.unsupportedTokenizer(path: metadata.path, model: metadata.model, supported: ["gpt2", "llama", "gemma4", "t5"])
        }
        if let split = GGUFPreTokenizerSplits.preTokenizer(for: metadata.pre) { vocabulary.preTokenizer = split }
        let added = vocabulary.addedTokens(metadata)
        return .object([
            "version": .string("1.0"),
            "added_tokens": .array(added.map { token in
                .object(["id": .integer(token.id), "content": .string(token.content), "single_word": .bool(false),
                         "lstrip": .bool(false), "rstrip": .bool(false), "normalized": .bool(false),
                         "special": .bool(token.special)])
            }),
            "normalizer": vocabulary.normalizer,
            "pre_tokenizer": vocabulary.preTokenizer,
            "post_processor": Self.template(metadata, vocabulary: vocabulary, added: added),
            "decoder": vocabulary.decoder,
            "model": vocabulary.model,
        ])
    }

    /// `transformers`' `update_post_processor`: BOS before and EOS after the text when the file asks for
    /// them and names the token; the class's own EOS-appending template when the file states no flag.
    private static func template(_ metadata: GGUFTokenizerMetadata, vocabulary: GGUFVocabulary,
                                 added: [GGUFVocabulary.AddedToken]) -> JSONValue {
        func named(_ content: String, vocabularyID: Int?) -> (name: String, id: Int)? {
            guard let id = added.first(where: { $0.content.utf8.elementsEqual(content.utf8) })?.id ?? vocabularyID else { return nil }
            return (content, id)
        }
        func special(_ id: Int?, _ wanted: Bool) -> (name: String, id: Int)? {
            guard wanted, let id else { return nil }
            return named(metadata.tokens[id], vocabularyID: id)
        }
        var bos = special(metadata.bosID, metadata.addsBOS)
        var eos = special(metadata.eosID, metadata.addsEOS)
        if !metadata.statesAddFlags, let classEOS = vocabulary.classEOS {
            bos = nil
            eos = named(classEOS, vocabularyID: vocabulary.ids[ExactText(classEOS)])
        }
        func piece(_ token: (name: String, id: Int)?, _ typeID: Int) -> [JSONValue] {
            guard let token else { return [] }
            return [.object(["SpecialToken": .object(["id": .string(token.name), "type_id": .integer(typeID)])])]
        }
        func sequence(_ name: String, _ typeID: Int) -> JSONValue {
            .object(["Sequence": .object(["id": .string(name), "type_id": .integer(typeID)])])
        }
        let single = piece(bos, 0) + [sequence("A", 0)] + piece(eos, 0)
        let pair = single + piece(bos, 1) + [sequence("B", 1)] + piece(eos, 1)
        let specials = [bos, eos].compactMap { $0 }.map { token in
            (key: token.name, value: JSONValue.object(["id": .string(token.name), "ids": .array([.integer(token.id)]),
                                                       "tokens": .array([.string(token.name)])]))
        }
        return .object(["type": .string("TemplateProcessing"), "single": .array(single), "pair": .array(pair),
                        "special_tokens": .object(JSONObject(members: specials))])
    }
}

/// A Hugging Face tokenizer whose token boundaries equal those of the `tokenizers` library exactly,
/// because those boundaries are what Mechscope shows the user: BPE (byte-level as GPT-2/Llama-3/Qwen2,
/// or SentencePiece-style with byte fallback as Llama-2/Mistral), WordPiece (BERT) and WordLevel.
///
/// The pipeline is Hugging Face's: split out added tokens that match raw text, normalize, split out
/// added tokens that match normalized text, pre-tokenize, and run the model on each piece.
/// `encode(_:)` corresponds to `Tokenizer.encode(text, add_special_tokens=False)`;
/// `encode(_:addSpecialTokens: true)` adds the BOS/CLS/SEP tokens of the file's post-processor, as the
/// model was trained (and as `transformers` does). Truncation and padding are not applied. A
/// `Tokenizer` is a value that may be shared across threads; copies share one thread-safe BPE word cache.
public struct Tokenizer: Sendable {
    /// Ids at or above this are rejected when reading files (no real vocabulary comes close).
    static let maximumTokenID = 1 << 22

    /// Number of distinct ids: the model vocabulary plus added tokens not already in it
    /// (Hugging Face `get_vocab_size(with_added_tokens=True)`).
    public let vocabSize: Int
    /// Tokens from `added_tokens` (special tokens such as `<|endoftext|>`), in file order.
    public let addedTokens: [TokenizerAddedToken]
    /// The beginning-of-sequence token, from `tokenizer_config.json` or a well-known special token;
    /// settable so a model's `config.json` (`bos_token_id`) can override it.
    public var bosTokenID: Int?
    /// The end-of-sequence token, determined like `bosTokenID`.
    public var eosTokenID: Int?

    private let model: TokenizerModel
    private let normalizers: [TokenizerNormalizer]
    private let preTokenizers: [TokenizerPreTokenizer]
    private let decoder: TokenizerDecoder
    private let postProcessor: TokenizerPostProcessor
    private let rawTextMatcher: AddedTokenMatcher
    private let normalizedTextMatcher: AddedTokenMatcher
    private let modelTokens: [String?]
    private let addedTokenByID: [Int: TokenizerAddedToken]
    private let addedTokenIDByContent: [ExactText: Int]
    /// What an added token's id reads as: its content, normalized when the token is (Hugging Face's `id_to_token`).
    private let addedTokenText: [Int: String]

    init(components: TokenizerComponents, bosToken: String? = nil, eosToken: String? = nil) {
        model = components.model
        normalizers = components.normalizers
        preTokenizers = components.preTokenizers
        decoder = components.decoder
        postProcessor = components.postProcessor
        addedTokens = components.addedTokens

        let tokenToID = components.model.tokenToID
        let maximumID = tokenToID.values.max() ?? -1
        var reverse = [String?](repeating: nil, count: maximumID + 1)
        for (token, id) in tokenToID { reverse[id] = token.text }
        modelTokens = reverse

        var byID: [Int: TokenizerAddedToken] = [:]
        var byContent: [ExactText: Int] = [:]
        var texts: [Int: String] = [:]
        var rawPatterns: [(text: String, token: TokenizerAddedToken)] = []
        var normalizedPatterns: [(text: String, token: TokenizerAddedToken)] = []
        for token in components.addedTokens where !token.content.isEmpty {
            byID[token.id] = token
            byContent[ExactText(token.content)] = token.id
            if token.isNormalized {
                let pattern = TokenizerNormalizer.apply(components.normalizers, to: token.content)
                normalizedPatterns.append((pattern, token))
                texts[token.id] = pattern
            } else {
                rawPatterns.append((token.content, token))
                texts[token.id] = token.content
            }
        }
        addedTokenByID = byID
        addedTokenIDByContent = byContent
        addedTokenText = texts
        rawTextMatcher = AddedTokenMatcher(patterns: rawPatterns)
        normalizedTextMatcher = AddedTokenMatcher(patterns: normalizedPatterns)

        var ids = Set(tokenToID.values)
        ids.formUnion(byID.keys)
        vocabSize = ids.count

        let lookup = { (name: String?) -> Int? in
            guard let name else { return nil }
            return byContent[ExactText(name)] ?? tokenToID[ExactText(name)]
        }
        let (guessedBOS, guessedEOS) = Self.wellKnownBoundaryTokens(among: components.addedTokens)
        bosTokenID = lookup(bosToken) ?? guessedBOS
        eosTokenID = lookup(eosToken) ?? guessedEOS
    }

    /// BOS/EOS from the conventional names of special tokens, when no config names them.
    private static func wellKnownBoundaryTokens(among tokens: [TokenizerAddedToken]) -> (bos: Int?, eos: Int?) {
        func special(_ name: String) -> Int? {
            tokens.first { $0.isSpecial && $0.content.utf8.elementsEqual(name.utf8) }?.id
        }
        let pairs: [(bos: String, eos: String)] = [
            ("<|begin_of_text|>", "<|end_of_text|>"), ("<s>", "</s>"), ("<bos>", "<eos>"), ("[BOS]", "[EOS]"),
            ("<|endoftext|>", "<|endoftext|>"),
        ]
        for pair in pairs {
            let bos = special(pair.bos)
            let eos = special(pair.eos)
            if bos != nil || eos != nil { return (bos, eos) }
        }
        return (nil, nil)
    }

    // MARK: encoding

    /// The token ids of `text`, exactly as Hugging Face `encode(text, add_special_tokens=False).ids`
    /// (raw: no BOS/CLS/EOS). Throws only when a model meets an unknown word without a usable `unk_token`.
    public func encode(_ text: String) throws -> [Int] {
        var ids: [Int] = []
        var rawStart = true
        for rawSegment in rawTextMatcher.split(text) {
            guard case .text(let rawText) = rawSegment else {
                if case .token(let id) = rawSegment { ids.append(id) }
                rawStart = false
                continue
            }
            let (normalized, keepsStart) = TokenizerNormalizer.normalize(normalizers, rawText)
            var atOrigin = rawStart && keepsStart
            rawStart = false
            for segment in normalizedTextMatcher.split(normalized) {
                switch segment {
                case .token(let id):
                    ids.append(id)
                case .text(let piece):
                    for word in TokenizerPreTokenizer.apply(preTokenizers, to: piece, startsAtOrigin: atOrigin) {
                        ids.append(contentsOf: try model.tokenize(word))
                    }
                }
                atOrigin = false
            }
        }
        return ids
    }

    /// Whether `encode(_:addSpecialTokens: true)` can add anything: the file's post-processor has a
    /// template (TemplateProcessing, BertProcessing, RobertaProcessing) with special tokens in it.
    public var addsSpecialTokens: Bool { postProcessor.addsSpecialTokens }

    /// The special token ids `encode(_:addSpecialTokens: true)` puts before and after one text: the
    /// post-processor's BOS/CLS in `leading`, its EOS/SEP in `trailing` (both empty without a template).
    public var specialTokensAroundText: (leading: [Int], trailing: [Int]) { postProcessor.aroundSingleText }

    /// The ids of `text` encoded as the model was trained: with `addSpecialTokens`, the BOS/CLS/SEP/EOS
    /// tokens of the file's post-processor are added exactly where Hugging Face
    /// `encode(text, add_special_tokens=True)` puts them (none when the file has no post-processor);
    /// without it, the raw ids of `encode(_:)`. Truncation and padding settings are not applied.
    public func encode(_ text: String, addSpecialTokens: Bool) throws -> [Int] {
        let ids = try encode(text)
        guard addSpecialTokens else { return ids }
        return postProcessor.process([ids])
    }

    /// A pair of texts (question/answer, sentence A/B) encoded together as Hugging Face
    /// `encode(first, second, add_special_tokens=...)`: with special tokens from the pair template, or concatenated.
    public func encode(_ first: String, pairedWith second: String, addSpecialTokens: Bool) throws -> [Int] {
        let firstIDs = try encode(first)
        let secondIDs = try encode(second)
        guard addSpecialTokens else { return firstIDs + secondIDs }
        return postProcessor.process([firstIDs, secondIDs])
    }

    /// `encode(text)`, preceded by `bosTokenID` when `prependBOS` is true (TransformerLens's
    /// `prepend_bos`). Throws `TokenizerError.noBOSToken` if a BOS is wanted but unknown.
    public func encode(_ text: String, prependBOS: Bool) throws -> [Int] {
        let ids = try encode(text)
        guard prependBOS else { return ids }
        guard let bosTokenID else { throw TokenizerError.noBOSToken }
        return [bosTokenID] + ids
    }

    // MARK: ids to text

    /// The vocabulary string of `id` (Hugging Face `id_to_token`), or nil for an id the tokenizer lacks.
    public func token(of id: Int) -> String? {
        if let text = addedTokenText[id] { return text }
        guard id >= 0, id < modelTokens.count else { return nil }
        return modelTokens[id]
    }

    /// The vocabulary strings of `ids` (Hugging Face `convert_ids_to_tokens`), e.g. "Ġthe" for " the".
    /// An id the tokenizer lacks (a model's padded vocabulary can exceed the tokenizer's) reads as
    /// "<unused id N>", so a list of ids always yields a list of the same length.
    public func tokens(_ ids: [Int]) -> [String] {
        ids.map { token(of: $0) ?? Self.unusedIDText($0) }
    }

    private static func unusedIDText(_ id: Int) -> String { "<unused id \(id)>" }

    /// The text of `ids`, as Hugging Face `decode(ids, skip_special_tokens=...)`: bytes of adjacent
    /// tokens are joined before UTF-8 decoding, invalid sequences become U+FFFD, unknown ids are skipped.
    /// Unlike the Python default, special tokens are kept unless `skipSpecialTokens` is true.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            if skipSpecialTokens, addedTokenByID[id]?.isSpecial == true { continue }
            if let text = token(of: id) { tokens.append(text) }
        }
        return decoder.decode(tokens)
    }

    /// What one token looks like, for display: the text its bytes stand for, with newlines, tabs and
    /// other control characters written as `\n`, `\t`, `\x1B`, and bytes that are only part of a UTF-8
    /// character written as `\xE2`. Added tokens show their content. Unknown ids read "<unused id N>".
    public func displayText(of id: Int) -> String {
        if let added = addedTokenByID[id] { return TokenDisplayText.render(Array(added.content.utf8)) }
        guard let text = token(of: id) else { return Self.unusedIDText(id) }
        return TokenDisplayText.render(decoder.bytes(of: text))
    }

    // MARK: lookup

    /// The id of a vocabulary string (added tokens first, by their content), as Hugging Face `token_to_id`.
    public func id(of token: String) -> Int? {
        let key = ExactText(token)
        return addedTokenIDByContent[key] ?? model.tokenToID[key]
    }

    /// Whether `id` is a special added token (BOS, EOS, padding and similar control tokens).
    public func isSpecialToken(_ id: Int) -> Bool {
        addedTokenByID[id]?.isSpecial ?? false
    }
}

extension Tokenizer {
    /// The tokenizer's model kind for reports ("byte-level BPE", "word-level").
    public var kindDescription: String {
        switch model {
        case .bpe: return "BPE"
        case .unigram: return "Unigram"
        case .wordLevel: return "word-level"
        case .wordPiece: return "WordPiece"
        }
    }
}

/// Reads the pipeline sections of `tokenizer.json`: `normalizer`, `pre_tokenizer`, `decoder` and
/// `post_processor`, each possibly a `Sequence`. An unknown component is an error naming its type
/// and JSON path (`pre_tokenizer.pretokenizers[2]`).
extension TokenizerJSONReader {
    // MARK: normalizer

    func readNormalizers(_ value: JSONValue, at location: String) throws -> [TokenizerNormalizer] {
        if value.isNull { return [] }
        let type = try typeName(of: value, in: location)
        switch type {
        case "Sequence":
            guard let steps = value["normalizers"]?.arrayValue else { throw invalid("\(location) Sequence has no \"normalizers\" array") }
            return try steps.enumerated().flatMap { index, step in
                try readNormalizers(step, at: "\(location).normalizers[\(index)]")
            }
        case "NFC": return [.nfc]
        case "NFD": return [.nfd]
        case "NFKC": return [.nfkc]
        case "NFKD": return [.nfkd]
        case "Lowercase": return [.lowercase]
        case "StripAccents": return [.stripAccents]
        case "Strip":
            return [.strip(left: try bool(value, "strip_left", default: true, in: location),
                           right: try bool(value, "strip_right", default: true, in: location))]
        case "Prepend":
            guard let text = try optionalString(value, "prepend", in: location) else { throw invalid("\(location) has no \"prepend\" string") }
            return [.prepend(text)]
        case "Replace":
            let (regex, content) = try readReplace(value, at: location)
            return [.replace(regex, content: content)]
        case "BertNormalizer":
            let lowercase = try bool(value, "lowercase", default: true, in: location)
            let stripAccents = try bool(value, "strip_accents", default: lowercase, in: location)
            return [.bert(cleanText: try bool(value, "clean_text", default: true, in: location),
                          handleChineseChars: try bool(value, "handle_chinese_chars", default: true, in: location),
                          stripAccents: stripAccents, lowercase: lowercase)]
        default:
            throw TokenizerError.unsupportedComponent(path: path, kind: "normalizer", type: type, location: location)
        }
    }

    /// `{"pattern": {"String": s} | {"Regex": r}, "content": c}` of a Replace normalizer or decoder.
    private func readReplace(_ value: JSONValue, at location: String) throws -> (TokenizerRegex, String) {
        guard let content = try optionalString(value, "content", in: location) else { throw invalid("\(location) has no \"content\" string") }
        return (try readPattern(value["pattern"], at: "\(location).pattern"), content)
    }

    /// A `{"String": ...}` (literal) or `{"Regex": ...}` pattern.
    private func readPattern(_ value: JSONValue?, at location: String) throws -> TokenizerRegex {
        if let literal = value?["String"]?.stringValue { return TokenizerRegex(literal: literal) }
        guard let pattern = value?["Regex"]?.stringValue else {
            throw invalid("\(location) must be {\"String\": ...} or {\"Regex\": ...}")
        }
        do {
            return try TokenizerRegex(pattern: pattern)
        } catch let failure as TokenizerRegexParser.Failure {
            throw TokenizerError.unsupportedPattern(path: path, location: location, pattern: pattern, problem: failure.message)
        }
    }

    // MARK: pre-tokenizer

    func readPreTokenizers(_ value: JSONValue, at location: String) throws -> [TokenizerPreTokenizer] {
        if value.isNull { return [] }
        let type = try typeName(of: value, in: location)
        switch type {
        case "Sequence":
            guard let steps = value["pretokenizers"]?.arrayValue else {
                throw invalid("\(location) Sequence has no \"pretokenizers\" array")
            }
            return try steps.enumerated().flatMap { index, step in
                try readPreTokenizers(step, at: "\(location).pretokenizers[\(index)]")
            }
        case "ByteLevel":
            return [.byteLevel(addPrefixSpace: try bool(value, "add_prefix_space", default: nil, in: location),
                               useRegex: try bool(value, "use_regex", default: true, in: location))]
        case "Whitespace":
            return [.whitespace]
        case "WhitespaceSplit":
            return [.whitespaceSplit]
        case "BertPreTokenizer":
            return [.bert]
        case "Digits":
            return [.digits(individualDigits: try bool(value, "individual_digits", default: false, in: location))]
        case "Punctuation":
            return [.punctuation(try readBehavior(value, at: location, default: .isolated))]
        case "Split":
            return [.split(try readPattern(value["pattern"], at: "\(location).pattern"),
                           behavior: try readBehavior(value, at: location, default: nil),
                           invert: try bool(value, "invert", default: false, in: location))]
        case "Metaspace":
            return [try readMetaspace(value, at: location)]
        default:
            throw TokenizerError.unsupportedComponent(path: path, kind: "pre_tokenizer", type: type, location: location)
        }
    }

    private func readBehavior(_ value: JSONValue, at location: String, default fallback: TokenizerSplitBehavior?) throws
        -> TokenizerSplitBehavior {
        guard let name = try optionalString(value, "behavior", in: location) else {
            guard let fallback else { throw invalid("\(location) has no \"behavior\" string") }
            return fallback
        }
        guard let behavior = TokenizerSplitBehavior(rawValue: name) else {
            throw invalid("\(location).behavior \"\(name)\" is not Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous")
        }
        return behavior
    }

    private func readReplacementScalar(_ value: JSONValue, key: String, at location: String) throws -> Unicode.Scalar {
        guard let text = try optionalString(value, key, in: location) else { throw invalid("\(location) has no \"\(key)\" string") }
        var scalars = text.unicodeScalars.makeIterator()
        guard let scalar = scalars.next(), scalars.next() == nil else {
            throw invalid("\(location).\(key) must be a single character, found \"\(text)\"")
        }
        return scalar
    }

    /// Metaspace as `tokenizers` 0.23 reads it: `prepend_scheme` (default always), the legacy
    /// `add_prefix_space: false` meaning never, `split` (default true).
    private func readMetaspace(_ value: JSONValue, at location: String) throws -> TokenizerPreTokenizer {
        let replacement = try readReplacementScalar(value, key: "replacement", at: location)
        var scheme = TokenizerPreTokenizer.MetaspacePrependScheme.always
        if let name = try optionalString(value, "prepend_scheme", in: location) {
            guard let parsed = TokenizerPreTokenizer.MetaspacePrependScheme(rawValue: name) else {
                throw invalid("\(location).prepend_scheme \"\(name)\" is not first, always or never")
            }
            scheme = parsed
        }
        if let addPrefixSpace = value["add_prefix_space"]?.boolValue, !addPrefixSpace {
            guard scheme == .never || value["prepend_scheme"] == nil else {
                throw invalid("\(location): add_prefix_space does not match declared prepend_scheme")
            }
            scheme = .never
        }
        return .metaspace(replacement: replacement, prependScheme: scheme,
                          split: try bool(value, "split", default: true, in: location))
    }

    // MARK: decoder

    /// The decoder's steps; nil when the file has no decoder (tokens are then joined with spaces).
    func readDecoderSteps(_ value: JSONValue, at location: String) throws -> [TokenizerDecoder.Step]? {
        if value.isNull { return nil }
        let type = try typeName(of: value, in: location)
        switch type {
        case "Sequence":
            guard let steps = value["decoders"]?.arrayValue else { throw invalid("\(location) Sequence has no \"decoders\" array") }
            return try steps.enumerated().flatMap { index, step in
                try readDecoderSteps(step, at: "\(location).decoders[\(index)]") ?? []
            }
        case "ByteLevel": return [.byteLevel]
        case "ByteFallback": return [.byteFallback]
        case "Fuse": return [.fuse]
        case "Strip":
            func count(_ key: String) throws -> Int {
                guard let number = value[key]?.intValue, number >= 0 else { throw invalid("\(location).\(key) must be a non-negative integer") }
                return number
            }
            return [.strip(content: try readReplacementScalar(value, key: "content", at: location),
                           start: try count("start"), stop: try count("stop"))]
        case "Replace":
            let (regex, content) = try readReplace(value, at: location)
            return [.replace(regex, content: content)]
        case "Metaspace":
            guard case .metaspace(let replacement, let scheme, _) = try readMetaspace(value, at: location) else { return [] }
            return [.metaspace(replacement: replacement, prependsSpace: scheme != .never)]
        case "WordPiece":
            return [.wordPiece(prefix: try optionalString(value, "prefix", in: location) ?? "##",
                               cleanup: try bool(value, "cleanup", default: true, in: location))]
        default:
            throw TokenizerError.unsupportedComponent(path: path, kind: "decoder", type: type, location: location)
        }
    }

    // MARK: post-processor

    func readPostProcessor(_ value: JSONValue, model: TokenizerModel, addedTokens: [TokenizerAddedToken]) throws
        -> TokenizerPostProcessor {
        if value.isNull { return .none }
        return TokenizerPostProcessor(steps: try readPostProcessorSteps(value, at: "post_processor"))
    }

    private func readPostProcessorSteps(_ value: JSONValue, at location: String) throws -> [TokenizerPostProcessor.Step] {
        let type = try typeName(of: value, in: location)
        switch type {
        case "Sequence":
            guard let steps = value["processors"]?.arrayValue else { throw invalid("\(location) Sequence has no \"processors\" array") }
            return try steps.enumerated().flatMap { index, step in
                try readPostProcessorSteps(step, at: "\(location).processors[\(index)]")
            }
        case "ByteLevel":
            return [.byteLevel]
        case "BertProcessing", "RobertaProcessing":
            func token(_ key: String) throws -> Int {
                guard let pair = value[key]?.arrayValue, pair.count == 2, pair[0].stringValue != nil,
                      let id = pair[1].intValue, id >= 0, id < Tokenizer.maximumTokenID else {
                    throw invalid("\(location).\(key) must be [\"token\", id]")
                }
                return id
            }
            let cls = try token("cls")
            let sep = try token("sep")
            if type == "BertProcessing" {
                return [.template(single: [.special([cls]), .sequence(0), .special([sep])],
                                  pair: [.special([cls]), .sequence(0), .special([sep]), .sequence(1), .special([sep])])]
            }
            return [.template(single: [.special([cls]), .sequence(0), .special([sep])],
                              pair: [.special([cls]), .sequence(0), .special([sep]), .special([sep]), .sequence(1), .special([sep])])]
        case "TemplateProcessing":
            var specialIDs: [String: [Int]] = [:]
            if let members = value["special_tokens"]?.objectMembers {
                for (key, entry) in members {
                    guard let ids = entry["ids"]?.arrayValue?.map(\.intValue), ids.allSatisfy({ ($0 ?? -1) >= 0 && $0! < Tokenizer.maximumTokenID }) else {
                        throw invalid("\(location).special_tokens[\"\(key)\"] needs an \"ids\" array of token ids")
                    }
                    specialIDs[key] = ids.compactMap { $0 }
                }
            }
            return [.template(single: try readTemplate(value["single"], specialIDs: specialIDs, at: "\(location).single"),
                              pair: try readTemplate(value["pair"], specialIDs: specialIDs, at: "\(location).pair"))]
        default:
            throw TokenizerError.unsupportedComponent(path: path, kind: "post_processor", type: type, location: location)
        }
    }

    /// `[{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<s>", "type_id": 0}}, ...]`.
    private func readTemplate(_ value: JSONValue?, specialIDs: [String: [Int]], at location: String) throws
        -> [TokenizerPostProcessor.TemplatePiece] {
        guard let items = value?.arrayValue else { throw invalid("\(location) must be an array of template pieces") }
        return try items.enumerated().map { index, item in
            if let sequence = item["Sequence"] {
                switch sequence["id"]?.stringValue {
                case "A": return .sequence(0)
                case "B": return .sequence(1)
                default: throw invalid("\(location)[\(index)].Sequence.id must be \"A\" or \"B\"")
                }
            }
            guard let name = item["SpecialToken"]?["id"]?.stringValue else {
                throw invalid("\(location)[\(index)] must be {\"Sequence\": ...} or {\"SpecialToken\": ...}")
            }
            guard let ids = specialIDs[name] else {
                throw invalid("\(location)[\(index)] uses special token \"\(name)\" missing from special_tokens")
            }
            return .special(ids)
        }
    }
}

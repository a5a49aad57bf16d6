import Foundation

/// The parts of a transformers `tokenizer_config.json` that matter for tokenization: the BOS/EOS
/// token names, `add_prefix_space`, and `added_tokens_decoder` (used when only vocab.json + merges.txt exist).
struct TokenizerConfigFile: Sendable {
    var addPrefixSpace: Bool?
    var bosToken: String?
    var eosToken: String?
    var addedTokens: [TokenizerAddedToken] = []

    static let fileName = "tokenizer_config.json"

    /// Reads the file at `url`; a malformed file is an error naming it.
    static func read(_ url: URL) throws -> TokenizerConfigFile {
        let root = try TokenizerFileReading.json(at: url)
        let path = url.path
        guard root.objectMembers != nil else {
            throw TokenizerError.invalidContent(path: path, problem: "top level must be an object, found \(root.typeName)")
        }
        var config = TokenizerConfigFile()
        if let flag = root["add_prefix_space"], !flag.isNull {
            guard let value = flag.boolValue else {
                throw TokenizerError.invalidContent(path: path, problem: "add_prefix_space must be a boolean")
            }
            config.addPrefixSpace = value
        }
        config.bosToken = try tokenName(root["bos_token"], key: "bos_token", path: path)
        config.eosToken = try tokenName(root["eos_token"], key: "eos_token", path: path)
        if let decoder = root["added_tokens_decoder"], !decoder.isNull {
            guard let members = decoder.objectMembers else {
                throw TokenizerError.invalidContent(path: path, problem: "added_tokens_decoder must be an object")
            }
            config.addedTokens = try members.map { key, entry in
                guard let id = Int(key), id >= 0, id < Tokenizer.maximumTokenID,
                      let content = entry["content"]?.stringValue else {
                    throw TokenizerError.invalidContent(path: path, problem: "added_tokens_decoder entry \"\(key)\" needs a numeric id and a \"content\" string")
                }
                let isSpecial = entry["special"]?.boolValue ?? false
                return TokenizerAddedToken(
                    id: id, content: content, isSpecial: isSpecial,
                    isSingleWord: entry["single_word"]?.boolValue ?? false,
                    stripsLeft: entry["lstrip"]?.boolValue ?? false,
                    stripsRight: entry["rstrip"]?.boolValue ?? false,
                    isNormalized: entry["normalized"]?.boolValue ?? !isSpecial)
            }
        }
        return config
    }

    /// `"<s>"` or `{"content": "<s>", ...}`; nil when absent or null.
    private static func tokenName(_ value: JSONValue?, key: String, path: String) throws -> String? {
        guard let value, !value.isNull else { return nil }
        if let text = value.stringValue { return text }
        if let content = value["content"]?.stringValue { return content }
        throw TokenizerError.invalidContent(path: path, problem: "\(key) must be a string or an object with \"content\"")
    }
}

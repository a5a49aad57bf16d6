import Foundation

extension Tokenizer {
    /// Loads the tokenizer of a Hugging Face model folder: `tokenizer.json` if present, otherwise
    /// GPT-2 style `vocab.json` + `merges.txt`. A `tokenizer_config.json` in the folder supplies the
    /// BOS/EOS token names (and, for vocab + merges, `add_prefix_space` and added tokens).
    /// Throws `TokenizerError.noTokenizerFiles` naming the folder when neither format is there.
    public init(folder: URL) throws {
        let configURL = folder.appendingPathComponent(TokenizerConfigFile.fileName)
        let config = TokenizerFileReading.fileExists(configURL) ? try TokenizerConfigFile.read(configURL) : nil
        let tokenizerJSON = folder.appendingPathComponent("tokenizer.json")
        let vocabJSON = folder.appendingPathComponent("vocab.json")
        let mergesTXT = folder.appendingPathComponent("merges.txt")
        let components: TokenizerComponents
        if TokenizerFileReading.fileExists(tokenizerJSON) {
            components = try Self.components(tokenizerJSON: tokenizerJSON)
        } else if TokenizerFileReading.fileExists(vocabJSON) && TokenizerFileReading.fileExists(mergesTXT) {
            components = try VocabMergesReader.components(vocabURL: vocabJSON, mergesURL: mergesTXT, config: config)
        } else {
            throw TokenizerError.noTokenizerFiles(folder: folder.path)
        }
        self.init(components: components, bosToken: config?.bosToken, eosToken: config?.eosToken)
    }

    /// Loads one `tokenizer.json` file (Hugging Face `Tokenizer.from_file`).
    public init(tokenizerJSON: URL) throws {
        self.init(components: try Self.components(tokenizerJSON: tokenizerJSON))
    }

    /// Builds a GPT-2 style byte-level BPE tokenizer from `vocab.json` and `merges.txt`, with
    /// `<|endoftext|>` as its special token when the vocabulary has it.
    public init(vocabJSON: URL, mergesTXT: URL, addPrefixSpace: Bool = false) throws {
        var config = TokenizerConfigFile()
        config.addPrefixSpace = addPrefixSpace
        self.init(components: try VocabMergesReader.components(vocabURL: vocabJSON, mergesURL: mergesTXT, config: config))
    }

    private static func components(tokenizerJSON url: URL) throws -> TokenizerComponents {
        try TokenizerJSONReader(path: url.path).components(from: try TokenizerFileReading.json(at: url))
    }
}

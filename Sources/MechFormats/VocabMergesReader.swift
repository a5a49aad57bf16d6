import Foundation

/// Builds a GPT-2 style byte-level BPE tokenizer from `vocab.json` + `merges.txt`, the format that
/// predates `tokenizer.json`: ByteLevel pre-tokenizer (GPT-2 regex) and decoder, no normalizer, and
/// `<|endoftext|>` as a special token when the vocabulary has it. A `tokenizer_config.json` beside
/// them can turn on `add_prefix_space` and declare other added tokens (`added_tokens_decoder`).
enum VocabMergesReader {
    static func components(vocabURL: URL, mergesURL: URL, config: TokenizerConfigFile?) throws -> TokenizerComponents {
        let vocabulary = try TokenizerJSONReader(path: vocabURL.path)
            .readVocabulary(try TokenizerFileReading.json(at: vocabURL), section: "vocab.json")
        let merges = try readMerges(mergesURL)
        let model = try BPEModel(vocabulary: vocabulary, merges: merges, unknownToken: nil,
                                 continuingSubwordPrefix: nil, endOfWordSuffix: nil, fusesUnknown: false,
                                 usesByteFallback: false, ignoresMerges: false, path: mergesURL.path)
        var addedTokens = config?.addedTokens ?? []
        if addedTokens.isEmpty, let id = vocabulary[ExactText("<|endoftext|>")] {
            addedTokens = [TokenizerAddedToken(id: id, content: "<|endoftext|>", isSpecial: true)]
        }
        addedTokens = addedTokens.map { token in
            guard let modelID = vocabulary[ExactText(token.content)], modelID != token.id else { return token }
            return TokenizerAddedToken(id: modelID, content: token.content, isSpecial: token.isSpecial,
                                       isSingleWord: token.isSingleWord, stripsLeft: token.stripsLeft,
                                       stripsRight: token.stripsRight, isNormalized: token.isNormalized)
        }
        return TokenizerComponents(
            model: .bpe(model), normalizers: [],
            preTokenizers: [.byteLevel(addPrefixSpace: config?.addPrefixSpace ?? false, useRegex: true)],
            decoder: .byteLevel, addedTokens: addedTokens)
    }

    /// Merge lines in rank order. `#version` lines are skipped and line endings may be `\n` or
    /// `\r\n` (as Rust's `lines()` reads them); blank lines are ignored.
    static func readMerges(_ url: URL) throws -> [(String, String)] {
        let text = try TokenizerFileReading.text(of: url)
        var merges: [(String, String)] = []
        for (index, rawLine) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var line = rawLine[...]
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty || line.starts(with: "#version".utf8) { continue }
            let lineText = String(decoding: line, as: UTF8.self)
            guard let pair = TokenizerJSONReader.splitMerge(lineText) else {
                throw TokenizerError.malformedMergesLine(path: url.path, line: index + 1, text: lineText)
            }
            merges.append(pair)
        }
        return merges
    }
}

import Foundation
@testable import MechFormats

/// Committed tokenizers, loaded once: the induction sample's byte-level BPE, golden tokenizers with
/// NFKC + added tokens, byte fallback and WordLevel models, and family-style tokenizers (Llama-3 Split
/// regex, Llama-2 Metaspace + byte fallback, BERT WordPiece, a pipeline of the other components). Paths are relative to the
/// repository root, which `scripts/fuzz` makes the working directory.
private let folders = [
    "samples/induction-2l",
    "Tests/golden/tokenizers/bpe-added-tokens",
    "Tests/golden/tokenizers/bpe-byte-fallback",
    "Tests/golden/tokenizers/bpe-affixes-unk",
    "Tests/golden/tokenizers/wordlevel",
    "Tests/golden/tokenizers/families/llama3",
    "Tests/golden/tokenizers/families/llama2",
    "Tests/golden/tokenizers/families/bert",
    "Tests/golden/tokenizers/families/components",
]

private let tokenizers: [(folder: String, tokenizer: Tokenizer)] = folders.map { folder in
    do {
        return (folder, try Tokenizer(folder: URL(fileURLWithPath: folder)))
    } catch {
        fatalError("tokenizer-encode: cannot load \(folder) (run from the repository root): \(error)")
    }
}

/// Byte-level BPE without a normalizer loses nothing: decoding its ids gives the text back, byte for byte.
private let losslessFolder = "samples/induction-2l"

/// libFuzzer target `tokenizer-encode`: the first input byte picks a tokenizer (its value modulo their
/// count, so every input exercises one and stays fast) and, by its top bit, whether special tokens are
/// added (one encoding per input, so the 10-million-input run fits in a session); the remaining bytes
/// become a String, as they are when valid UTF-8, otherwise with invalid sequences replaced by U+FFFD.
/// Ids must name tokens the tokenizer has, ids with special tokens must decode (skipping them), and the
/// byte-level sample's plain ids must decode back to the text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizerEncode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let (folder, tokenizer) = tokenizers[Int(data[0]) % tokenizers.count]
    let addSpecialTokens = data[0] & 0x80 != 0
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    // WordLevel without a usable unk_token throws for unknown words: a typed error, not a failure.
    guard let ids = attempt({ try tokenizer.encode(text, addSpecialTokens: addSpecialTokens) }) else { return 0 }
    for id in ids {
        check(tokenizer.token(of: id) != nil, "\(folder): id \(id) has no token")
    }
    if addSpecialTokens {
        _ = tokenizer.decode(ids, skipSpecialTokens: true)
    } else if folder == losslessFolder {
        check(tokenizer.decode(ids).utf8.elementsEqual(text.utf8), "\(folder): decode(encode(text)) != text")
    }
    return 0
}

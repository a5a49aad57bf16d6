import Foundation
@testable import MechFormats

/// Text every tokenizer built from the input must encode: spaces, newlines, digits, accents,
/// ligatures, CJK, emoji and an added-token name.
private let sampleText = "Hello  world!\n\tcafé ﬁnal 日本語 🙂 123 <|endoftext|> [UNK] x\u{301}"

/// libFuzzer target `tokenizer-json`: the input is a `tokenizer.json` file, loaded the way
/// `Tokenizer(folder:)` loads one (`TokenizerFileReading.json` without the disk read). A tokenizer
/// that loads then encodes a fixed text and the input's first 256 bytes, and decodes, names and
/// displays the ids it produced.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizerJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let root = attempt({ try JSONParser.parse(bytes, duplicateKeys: .keepAll) }),
          let components = attempt({ try TokenizerJSONReader(path: "fuzz/tokenizer.json").components(from: root) }) else {
        return 0
    }
    let tokenizer = Tokenizer(components: components)
    let inputText = String(decoding: bytes.prefix(256), as: UTF8.self)
    for text in [sampleText, inputText] {
        guard let ids = attempt({ try tokenizer.encode(text, prependBOS: tokenizer.bosTokenID != nil) }) else { continue }
        _ = tokenizer.decode(ids)
        _ = tokenizer.decode(ids, skipSpecialTokens: true)
        check(tokenizer.tokens(ids).count == ids.count, "tokens(ids) lost ids")
        for id in ids {
            _ = tokenizer.displayText(of: id)
            _ = tokenizer.isSpecialToken(id)
        }
    }
    return 0
}

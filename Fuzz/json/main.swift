import Foundation
@testable import MechFormats

/// libFuzzer target `json`: the input is parsed as JSON both ways the loaders parse it (duplicate keys
/// rejected, as for configs and safetensors headers; kept, as for tokenizer files), and an object
/// goes through `JSONConfig` as a model's `config.json` would.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let kept = attempt { try JSONParser.parse(bytes, duplicateKeys: .keepAll) }
    guard let strict = attempt({ try JSONParser.parse(bytes, duplicateKeys: .reject) }) else { return 0 }
    // Rejecting duplicates may only refuse more inputs, never read an accepted one differently.
    check(kept == strict, "the two duplicate-key modes parsed the same input differently")

    let config = attempt { try JSONConfig(data: Data(bytes), url: URL(fileURLWithPath: "/fuzz/config.json")) }
    guard let config else {
        if case .object = strict { fatalError("JSONConfig refused an object the parser accepted") }
        return 0
    }
    for key in config.keys {
        _ = attempt { try config.int(key) }
        _ = attempt { try config.double(key) }
        _ = attempt { try config.string(key) }
        _ = attempt { try config.intArray(key) }
        _ = attempt { try config.stringArray(key) }
        _ = attempt { try config.section(key).keys }
    }
    return 0
}

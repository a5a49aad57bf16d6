import Foundation
@testable import MechFormats

/// libFuzzer target `json`: the input is parsed as JSON both ways the loaders parse it (duplicate keys
/// rejected, as for configs and safetensors headers; kept, as for tokenizer files), and an object
/// goes through `JSONConfig` as a model's `config.json` would.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let kept = try? JSONParser.parse(bytes, duplicateKeys: .keepAll)
    guard let strict = try? JSONParser.parse(bytes, duplicateKeys: .reject) else { return 0 }
    // Rejecting duplicates may only refuse more inputs, never read an accepted one differently.
    precondition(kept == strict, "the two duplicate-key modes parsed the same input differently")

    let config: JSONConfig
    do {
        config = try JSONConfig(data: Data(bytes), url: URL(fileURLWithPath: "/fuzz/config.json"))
    } catch {
        guard case .object = strict else { return 0 }
        preconditionFailure("JSONConfig refused an object the parser accepted: \(error)")
    }
    for key in config.keys {
        _ = try? config.int(key)
        _ = try? config.double(key)
        _ = try? config.string(key)
        _ = try? config.intArray(key)
        _ = try? config.stringArray(key)
        _ = try? config.section(key).keys
    }
    return 0
}

import Foundation

/// Prints an Encodable value as pretty JSON with sorted keys (stable output for scripts). Numbers
/// that are not finite (NaN, ±∞), which JSON cannot hold, are written as `null`.
enum JSONOutput {
    /// Prints `value`; returns whether any number in it was not finite (written as null).
    @discardableResult
    static func print<T: Encodable>(_ value: T) throws -> Bool {
        let text = try encode(value)
        Swift.print(text.json)
        return text.hadNonFinite
    }

    static func encode<T: Encodable>(_ value: T) throws -> (json: String, hadNonFinite: Bool) {
        // Non-finite numbers are encoded as a marker string no input can contain (a fresh UUID),
        // then each quoted marker becomes null.
        let marker = "non-finite-" + UUID().uuidString
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: marker, negativeInfinity: marker,
                                                                      nan: marker)
        let text = String(decoding: try encoder.encode(value), as: UTF8.self)
        let quoted = "\"\(marker)\""
        guard text.contains(quoted) else { return (text, false) }
        return (text.replacingOccurrences(of: quoted, with: "null"), true)
    }
}

/// An optional that encodes as an explicit `null` when absent (synthesised Encodable drops the key).
struct JSONNullable<Wrapped: Encodable>: Encodable {
    let value: Wrapped?
    init(_ value: Wrapped?) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

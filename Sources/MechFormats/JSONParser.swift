import Foundation

/// The one strict RFC 8259 JSON parser (no trailing commas, no comments, no leading zeros, no
/// unescaped control characters, no non-finite numbers, valid UTF-8, bounded nesting), used for
/// safetensors headers, config files and tokenizer files, where leniency would hide corrupt input.
///
/// Strings are kept exactly as written and objects keep every member in file order (`JSONObject`).
/// Reads through an unsafe buffer, valid for the duration of `parse`, because multi-megabyte
/// tokenizer vocabularies must load quickly.
public struct JSONParser {
    /// Nesting deeper than this is rejected so hostile input cannot exhaust the stack.
    public static let maximumDepth = 256

    /// What to do when one object names the same key twice.
    public enum DuplicateKeys: Sendable {
        /// A repeated key is a syntax error. Keys count as repeated when Swift's `String ==` says so
        /// (canonically equivalent), because configs and safetensors headers are read as
        /// `[String: …]` and one member must never silently hide another. The default.
        case reject
        /// Every member is kept in file order and exact lookups return the last one, as Hugging
        /// Face's `tokenizers` does (it loads files with repeated vocabulary keys, last id winning).
        case keepAll
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let rejectsDuplicateKeys: Bool
    private var position = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, duplicateKeys: DuplicateKeys) {
        self.bytes = bytes
        self.rejectsDuplicateKeys = duplicateKeys == .reject
    }

    /// Parses exactly one JSON value from `bytes`; only whitespace may follow it.
    public static func parse(_ bytes: UnsafeRawBufferPointer, duplicateKeys: DuplicateKeys = .reject) throws -> JSONValue {
        try bytes.withMemoryRebound(to: UInt8.self) { buffer in
            var parser = JSONParser(bytes: buffer, duplicateKeys: duplicateKeys)
            parser.skipWhitespace()
            let value = try parser.parseValue()
            parser.skipWhitespace()
            guard parser.position == buffer.count else {
                throw parser.fail("unexpected data after the JSON value")
            }
            return value
        }
    }

    /// Parses exactly one JSON value from `data`.
    public static func parse(_ data: Data, duplicateKeys: DuplicateKeys = .reject) throws -> JSONValue {
        try data.withUnsafeBytes { try parse($0, duplicateKeys: duplicateKeys) }
    }

    // MARK: - Grammar

    private mutating func parseValue() throws -> JSONValue {
        guard position < bytes.count else { throw fail("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character \(describe(bytes[position]))")
        }
    }

    private mutating func parseObject() throws -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        position += 1  // {
        var members: [JSONObject.Member] = []
        var seenKeys: Set<String> = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object(JSONObject(members: members))
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let keyOffset = position
            let key = try parseString()
            if rejectsDuplicateKeys, !seenKeys.insert(key).inserted {
                throw JSONSyntaxError(offset: keyOffset, message: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after key \"\(key)\"") }
            position += 1
            skipWhitespace()
            members.append((key: key, value: try parseValue()))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(JSONObject(members: members))
            default: throw fail("expected ',' or '}' in object")
            }
        }
    }

    private mutating func parseArray() throws -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw fail("expected ',' or ']' in array")
            }
        }
    }

    /// A string's text. Runs without escapes are validated in place; only strings with escapes
    /// are copied into a scratch buffer.
    private mutating func parseString() throws -> String {
        let start = position
        position += 1  // opening quote
        var decoded: [UInt8] = []
        var hasEscapes = false
        var runStart = position
        while true {
            guard position < bytes.count else {
                throw JSONSyntaxError(offset: start, message: "unterminated string")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw fail("control character \(describe(byte)) inside a string") }
            if byte == UInt8(ascii: "\\") {
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try parseEscape(into: &decoded)
                hasEscapes = true
                runStart = position
            } else {
                position += 1
            }
        }
        let tail = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
        position += 1  // closing quote
        if !hasEscapes { return try validated(tail, start: start) }
        decoded.append(contentsOf: tail)
        return try decoded.withUnsafeBufferPointer { try validated($0, start: start) }
    }

    /// `raw` as a String, or an error if it is not valid UTF-8 (decoding would have repaired it).
    /// Decoding and comparing is faster here than `String(validating:)`, which matters for vocabularies.
    private func validated(_ raw: UnsafeBufferPointer<UInt8>, start: Int) throws -> String {
        var text = String(decoding: raw, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            guard decoded.count == raw.count else { return false }
            guard let left = decoded.baseAddress, let right = raw.baseAddress else { return true }
            return memcmp(left, right, raw.count) == 0
        }
        guard same else { throw JSONSyntaxError(offset: start, message: "string is not valid UTF-8") }
        return text
    }

    /// Decodes one escape; its errors point at the backslash that starts it.
    private mutating func parseEscape(into out: inout [UInt8]) throws {
        let escapeStart = position
        position += 1  // backslash
        guard position < bytes.count else { throw fail("unterminated escape", at: escapeStart) }
        let code = bytes[position]
        position += 1
        switch code {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: escapeStart)
            if (0xD800...0xDBFF).contains(scalar) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                      bytes[position + 1] == UInt8(ascii: "u") else {
                    throw fail("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
                }
                position += 2
                let low = try parseHex4(escapeStart: escapeStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw fail("invalid UTF-16 low surrogate", at: escapeStart)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape", at: escapeStart) }
            UTF8.encode(unicode) { out.append($0) }
        default:
            throw fail("invalid escape \\\(describe(code))", at: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw fail("truncated \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hex digit \(describe(byte)) in \\u escape", at: escapeStart)
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// A number: `.integer` when written without fraction or exponent and within `Int`, accumulated
    /// while scanning (token ids are most of a vocabulary file); otherwise a finite `.number`.
    private mutating func parseNumber() throws -> JSONValue {
        let start = position
        let isNegative = bytes[position] == UInt8(ascii: "-")
        if isNegative { position += 1 }
        guard let first = peek(), isDigit(first) else { throw fail("expected a digit") }
        var integer = 0
        var fitsInInt = true
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) { throw fail("leading zero in number") }
        } else {
            while let byte = peek(), isDigit(byte) {
                let digit = Int(byte &- UInt8(ascii: "0"))
                let (scaled, scaleOverflow) = integer.multipliedReportingOverflow(by: 10)
                let (next, addOverflow) = isNegative
                    ? scaled.subtractingReportingOverflow(digit) : scaled.addingReportingOverflow(digit)
                fitsInInt = fitsInInt && !scaleOverflow && !addOverflow
                integer = next
                position += 1
            }
        }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let d = peek(), isDigit(d) else { throw fail("expected a digit after '.'") }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let d = peek(), isDigit(d) else { throw fail("expected a digit in exponent") }
            skipDigits()
        }
        if isInteger && fitsInInt { return .integer(integer) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw JSONSyntaxError(offset: start, message: "number \(text) is out of range")
        }
        return .number(double)
    }

    // MARK: - Scanning

    private mutating func enterContainer() throws {
        guard depth < JSONParser.maximumDepth else {
            throw fail("nesting deeper than \(JSONParser.maximumDepth) levels")
        }
        depth += 1
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard position < bytes.count, bytes[position] == byte else {
                throw fail("invalid literal (expected \(literal))")
            }
            position += 1
        }
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    private func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "0x%02X", byte)
    }

    private func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, message: message)
    }
}

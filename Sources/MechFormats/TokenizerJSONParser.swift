import Foundation

/// Parses the bytes of a tokenizer JSON file into a `TokenizerJSONValue`, keeping strings exact.
///
/// Hand-written (RFC 8259) so that vocabulary keys are never normalised or merged and so that a
/// syntax error can name the byte offset where the file goes wrong. Reads through an unsafe buffer
/// (valid for the duration of `parse`) because multi-megabyte vocabularies must load quickly.
struct TokenizerJSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let path: String
    private var position = 0
    private var depth = 0
    private static let maximumDepth = 256

    /// Parses `bytes` (the contents of the file at `path`, used only in error messages).
    static func parse(_ bytes: [UInt8], path: String) throws -> TokenizerJSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = TokenizerJSONParser(bytes: buffer, path: path)
            parser.skipWhitespace()
            let value = try parser.parseValue()
            parser.skipWhitespace()
            if parser.position != buffer.count {
                throw parser.failure("unexpected content after the top-level value")
            }
            return value
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, path: String) {
        self.bytes = bytes
        self.path = path
    }

    private func failure(_ problem: String, at offset: Int? = nil) -> TokenizerError {
        .malformedJSON(path: path, byteOffset: offset ?? position, problem: problem)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func describeCurrentByte() -> String {
        guard position < bytes.count else { return "end of file" }
        let byte = bytes[position]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private mutating func parseValue() throws -> TokenizerJSONValue {
        guard position < bytes.count else { throw failure("unexpected end of file, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("expected a value, found \(describeCurrentByte())")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws {
        let start = position
        for expected in literal.utf8 {
            guard position < bytes.count, bytes[position] == expected else {
                throw failure("invalid literal, expected \(literal)", at: start)
            }
            position += 1
        }
    }

    private mutating func enterContainer() throws {
        depth += 1
        if depth > Self.maximumDepth { throw failure("nesting deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func parseObject() throws -> TokenizerJSONValue {
        try enterContainer()
        defer { depth -= 1 }
        position += 1
        var members: [(key: String, value: TokenizerJSONValue)] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw failure("expected a quoted member name, found \(describeCurrentByte())")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw failure("expected ':' after member name \"\(key)\", found \(describeCurrentByte())")
            }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end of file inside an object") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw failure("expected ',' or '}' in object, found \(describeCurrentByte())")
        }
    }

    private mutating func parseArray() throws -> TokenizerJSONValue {
        try enterContainer()
        defer { depth -= 1 }
        position += 1
        var items: [TokenizerJSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end of file inside an array") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            throw failure("expected ',' or ']' in array, found \(describeCurrentByte())")
        }
    }

    private mutating func parseNumber() throws -> TokenizerJSONValue {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw failure("invalid number", at: start) }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw failure("invalid number: digits expected after '.'", at: start)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw failure("invalid number: digits expected in exponent", at: start)
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let value = Int(text) { return .integer(value) }
        guard let value = Double(text) else { throw failure("number out of range", at: start) }
        return .double(value)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func parseString() throws -> String {
        let start = position
        position += 1
        var decoded: [UInt8]? = nil
        var runStart = position
        while true {
            guard position < bytes.count else { throw failure("unterminated string", at: start) }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 {
                throw failure("control character 0x\(String(byte, radix: 16, uppercase: true)) inside a string must be escaped")
            }
            if byte == UInt8(ascii: "\\") {
                var escaped = decoded ?? []
                escaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                try parseEscape(into: &escaped)
                decoded = escaped
                runStart = position
                continue
            }
            position += 1
        }
        let tail = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
        position += 1
        guard var escaped = decoded else { return try validatedString(tail, start: start) }
        escaped.append(contentsOf: tail)
        return try escaped.withUnsafeBufferPointer { try validatedString($0, start: start) }
    }

    /// `raw` as a String, or an error if it is not valid UTF-8 (decoding would have altered it).
    private func validatedString(_ raw: UnsafeBufferPointer<UInt8>, start: Int) throws -> String {
        var text = String(decoding: raw, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            guard decoded.count == raw.count else { return false }
            guard let left = decoded.baseAddress, let right = raw.baseAddress else { return true }
            return memcmp(left, right, raw.count) == 0
        }
        guard same else { throw failure("string is not valid UTF-8", at: start) }
        return text
    }

    private mutating func parseEscape(into decoded: inout [UInt8]) throws {
        let escapeStart = position
        position += 1
        guard position < bytes.count else { throw failure("unterminated escape", at: escapeStart) }
        let letter = bytes[position]
        position += 1
        switch letter {
        case UInt8(ascii: "\""): decoded.append(0x22)
        case UInt8(ascii: "\\"): decoded.append(0x5C)
        case UInt8(ascii: "/"): decoded.append(0x2F)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            var code = UInt32(try parseHex4(escapeStart: escapeStart))
            if (0xD800...0xDBFF).contains(code) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                      bytes[position + 1] == UInt8(ascii: "u") else {
                    throw failure("lone leading surrogate in \\u escape", at: escapeStart)
                }
                position += 2
                let low = UInt32(try parseHex4(escapeStart: escapeStart))
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw failure("leading surrogate not followed by a trailing surrogate", at: escapeStart)
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(code) {
                throw failure("lone trailing surrogate in \\u escape", at: escapeStart)
            }
            guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape", at: escapeStart) }
            UTF8.encode(scalar) { decoded.append($0) }
        default:
            throw failure("invalid escape character", at: escapeStart)
        }
    }

    private mutating func parseHex4(escapeStart: Int) throws -> UInt16 {
        guard position + 4 <= bytes.count else { throw failure("truncated \\u escape", at: escapeStart) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape", at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}

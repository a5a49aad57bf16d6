import Foundation

/// Typed, checked access to a JSON object file such as a model's `config.json`. Every accessor names
/// the file and key on failure and says which type was expected and which was found. Nested objects
/// are reached with `section(_:)`, whose errors name the full dotted key path.
public struct JSONConfig: Sendable {
    /// The file the values came from (used in error messages).
    public let url: URL
    /// The object's members.
    public let values: [String: JSONValue]
    /// Dotted path of this object inside the file ("" for the top level), e.g. "text_config".
    public let keyPath: String

    /// Reads and strictly parses `url`, which must hold a JSON object.
    public init(url: URL) throws {
        try self.init(data: try FileBytes.read(url), url: url)
    }

    /// Parses `data` as the contents of `url` (which is only used to name the file in errors).
    public init(data: Data, url: URL) throws {
        let root: JSONValue
        do {
            root = try JSONParser.parse(data)
        } catch let error as JSONSyntaxError {
            throw FormatError.invalidJSON(path: url.path, byteOffset: error.offset, reason: error.message)
        }
        guard case .object(let members) = root else {
            throw FormatError.notAJSONObject(path: url.path, found: root.typeName)
        }
        // Parsed with duplicate keys rejected, so the dictionary view cannot merge two members.
        self.init(values: members.dictionary, url: url, keyPath: "")
    }

    /// Wraps an already-parsed object (e.g. a nested section).
    public init(values: [String: JSONValue], url: URL, keyPath: String = "") {
        self.url = url
        self.values = values
        self.keyPath = keyPath
    }

    /// The keys present, sorted.
    public var keys: [String] { values.keys.sorted() }

    /// Whether `key` is present with a non-null value.
    public func has(_ key: String) -> Bool {
        if let value = values[key], value != .null { return true }
        return false
    }

    /// The raw value of `key`, if present.
    public func value(_ key: String) -> JSONValue? {
        values[key]
    }

    // MARK: Required values

    /// An integer (an integral number such as `2048.0` is accepted).
    public func int(_ key: String) throws -> Int {
        try required(key, as: "an integer") { $0.intValue }
    }

    /// Any number.
    public func double(_ key: String) throws -> Double {
        try required(key, as: "a number") { $0.doubleValue }
    }

    /// A string.
    public func string(_ key: String) throws -> String {
        try required(key, as: "a string") { $0.stringValue }
    }

    /// `true` or `false`.
    public func bool(_ key: String) throws -> Bool {
        try required(key, as: "a boolean") { $0.boolValue }
    }

    /// An array of integers.
    public func intArray(_ key: String) throws -> [Int] {
        try required(key, as: "an array of integers") { Self.array($0) { $0.intValue } }
    }

    /// An array of strings (e.g. `architectures`).
    public func stringArray(_ key: String) throws -> [String] {
        try required(key, as: "an array of strings") { Self.array($0) { $0.stringValue } }
    }

    /// A nested object, as its own `JSONConfig` whose errors name the dotted key path.
    public func section(_ key: String) throws -> JSONConfig {
        let members = try required(key, as: "an object") { $0.objectValue }
        return JSONConfig(values: members, url: url, keyPath: qualified(key))
    }

    // MARK: Optional values (nil when absent or null; a present value of the wrong type still throws)

    /// An integer, or nil when absent or null.
    public func optionalInt(_ key: String) throws -> Int? {
        try optional(key, as: "an integer") { $0.intValue }
    }

    /// A number, or nil when absent or null.
    public func optionalDouble(_ key: String) throws -> Double? {
        try optional(key, as: "a number") { $0.doubleValue }
    }

    /// A string, or nil when absent or null.
    public func optionalString(_ key: String) throws -> String? {
        try optional(key, as: "a string") { $0.stringValue }
    }

    /// A boolean, or nil when absent or null.
    public func optionalBool(_ key: String) throws -> Bool? {
        try optional(key, as: "a boolean") { $0.boolValue }
    }

    /// An array of integers, or nil when absent or null.
    public func optionalIntArray(_ key: String) throws -> [Int]? {
        try optional(key, as: "an array of integers") { Self.array($0) { $0.intValue } }
    }

    /// An array of strings, or nil when absent or null.
    public func optionalStringArray(_ key: String) throws -> [String]? {
        try optional(key, as: "an array of strings") { Self.array($0) { $0.stringValue } }
    }

    /// A nested object (e.g. `rope_scaling`), or nil when absent or null.
    public func optionalSection(_ key: String) throws -> JSONConfig? {
        guard let members = try optional(key, as: "an object", { $0.objectValue }) else { return nil }
        return JSONConfig(values: members, url: url, keyPath: qualified(key))
    }

    // MARK: Lookup

    private func required<T>(_ key: String, as expected: String, _ convert: (JSONValue) -> T?) throws -> T {
        guard let value = values[key] else {
            throw FormatError.missingKey(path: url.path, key: qualified(key))
        }
        guard let converted = convert(value) else {
            throw FormatError.wrongType(path: url.path, key: qualified(key), expected: expected,
                                        found: Self.describe(value))
        }
        return converted
    }

    private func optional<T>(_ key: String, as expected: String, _ convert: (JSONValue) -> T?) throws -> T? {
        guard let value = values[key], value != .null else { return nil }
        return try required(key, as: expected, convert)
    }

    private func qualified(_ key: String) -> String {
        keyPath.isEmpty ? key : keyPath + "." + key
    }

    private static func array<T>(_ value: JSONValue, _ convert: (JSONValue) -> T?) -> [T]? {
        guard let elements = value.arrayValue else { return nil }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let converted = convert(element) else { return nil }
            result.append(converted)
        }
        return result
    }

    /// The found value for an error message: its type, plus the value itself when short.
    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "boolean \(b)"
        case .integer(let i): return "integer \(i)"
        case .number(let d): return "number \(d)"
        case .string(let s): return s.count <= 40 ? "string \"\(s)\"" : "a string"
        case .array(let a): return "an array of \(a.count)"
        case .object: return "an object"
        }
    }
}

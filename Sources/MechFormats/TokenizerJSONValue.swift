/// A JSON value as found in tokenizer files.
///
/// Tokenizer vocabularies must be read exactly: Swift's `String ==` treats canonically equivalent
/// strings ("é" and "e\u{301}") as equal, so a `[String: Any]` from Foundation could silently merge two
/// distinct vocabulary entries. Objects therefore keep every member, in file order, with its key text
/// untouched; lookups compare keys by their UTF-8 bytes.
indirect enum TokenizerJSONValue {
    case null
    case bool(Bool)
    case integer(Int)
    case double(Double)
    case string(String)
    case array([TokenizerJSONValue])
    case object([(key: String, value: TokenizerJSONValue)])

    /// The member named `key` (the last one if a key repeats, as serde's maps do); nil for non-objects.
    subscript(key: String) -> TokenizerJSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members.reversed() where member.key.utf8.elementsEqual(key.utf8) {
            return member.value
        }
        return nil
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var intValue: Int? {
        switch self {
        case .integer(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        default: return nil
        }
    }

    var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    var arrayValue: [TokenizerJSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var objectMembers: [(key: String, value: TokenizerJSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A short name of the JSON type, for error messages ("expected an object, found array").
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

/// A parsed JSON value, kept exact: integers stay `Int` (tensor offsets, config sizes and token ids
/// must not pass through `Double`), strings keep their exact scalars, and objects keep every member
/// in file order (`JSONObject`) so tokenizer vocabularies are never merged or reordered.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of this value's JSON type, for "expected X, found Y" error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Whether the value is JSON `null` (optional settings treat it like an absent key).
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as an `Int` when it is an integer, or a number with an exactly integral value
    /// (configs sometimes write `2048.0`).
    public var intValue: Int? {
        switch self {
        case .integer(let i): return i
        case .number(let d):
            guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
            return Int(d)
        default: return nil
        }
    }

    /// The value as a `Double` when it is any JSON number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }

    /// The value as a `String` when it is a JSON string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as a `Bool` when it is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The elements when the value is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The members, in file order with exact keys, when the value is an object.
    public var objectMembers: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The members as a dictionary when the value is an object; canonically equivalent keys collapse
    /// (see `JSONObject.dictionary`), so use `objectMembers` where exact keys matter.
    public var objectValue: [String: JSONValue]? {
        objectMembers?.dictionary
    }

    /// The value of member `key` (exact UTF-8 match, the last one if it repeats); nil for non-objects.
    public subscript(key: String) -> JSONValue? {
        objectMembers?[key]
    }
}

/// A JSON object exactly as written: every member in file order, with its key text untouched.
///
/// Not a `[String: JSONValue]` because Swift's `String ==` treats canonically equivalent strings
/// ("é" and "e\u{301}") as equal, so a dictionary could merge two distinct tokenizer vocabulary
/// entries, and it forgets member order. Lookups by key here compare UTF-8 bytes. `dictionary` is
/// the familiar view for objects where that merging is harmless (those parsed with
/// `JSONParser.DuplicateKeys.reject`, where canonically equal keys were already an error).
public struct JSONObject: Equatable, Sendable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One `"key": value` pair.
    public typealias Member = (key: String, value: JSONValue)

    /// The members in the order they were written (repeated keys included when parsed with `.keepAll`).
    public let members: [Member]

    /// Wraps members in the given order.
    public init(members: [Member]) {
        self.members = members
    }

    /// Builds an object in literal order, e.g. `["a": .integer(1)]` in tests and callers.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { (key: $0.0, value: $0.1) }
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }

    /// The value of the last member whose key has exactly the UTF-8 bytes of `key` (the last, as
    /// Hugging Face's serde maps keep when a key repeats); nil when there is none.
    public subscript(key: String) -> JSONValue? {
        for member in members.reversed() where Self.sameBytes(member.key, key) {
            return member.value
        }
        return nil
    }

    /// The keys in member order.
    public var keys: [String] { members.map(\.key) }

    /// The members as a Swift dictionary, where canonically equivalent keys collapse to one entry
    /// (the later member wins). Use it only where that cannot matter; look up exact keys otherwise.
    public var dictionary: [String: JSONValue] {
        Dictionary(members, uniquingKeysWith: { _, later in later })
    }

    /// Equal when both hold the same members in the same order, keys compared byte for byte.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return zip(lhs.members, rhs.members).allSatisfy { left, right in
            sameBytes(left.key, right.key) && left.value == right.value
        }
    }

    private static func sameBytes(_ left: String, _ right: String) -> Bool {
        left.utf8.count == right.utf8.count && left.utf8.elementsEqual(right.utf8)
    }
}

import Foundation

/// A string compared and hashed by its exact Unicode scalars (UTF-8 bytes).
///
/// `String` equality in Swift is canonical equivalence, so "é" (U+00E9) equals "e\u{301}". Tokenizer
/// vocabularies and added tokens distinguish those, exactly as Hugging Face's byte-wise hash maps do;
/// this wrapper is the dictionary key used wherever token text is looked up.
struct ExactText: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        var left = lhs.text
        var right = rhs.text
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                guard leftBytes.count == rightBytes.count else { return false }
                guard let left = leftBytes.baseAddress, let right = rightBytes.baseAddress else { return true }
                return memcmp(left, right, leftBytes.count) == 0
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension TokenText {
    /// A token's display text with its spaces made visible ("·"), for token strips where tokens
    /// sit side by side and a leading space would otherwise vanish.
    static func visible(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "·") }
}

/// The result of `body`, or nil when it throws. Loaders may refuse any input, but only with an error
/// whose message is one printable line (no line breaks, no terminal escapes); anything else stops
/// the fuzzer as a failure.
func attempt<T>(_ body: () throws -> T) -> T? {
    do {
        return try body()
    } catch {
        let message = "\(error)"
        check(!message.isEmpty, "an error with an empty message: \(type(of: error))")
        check(!message.unicodeScalars.contains { $0.properties.generalCategory == .control },
                     "an error message that is not one printable line: \(message.debugDescription)")
        return nil
    }
}

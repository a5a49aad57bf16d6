/// A problem with what the user asked for, found while running (not a usage error, so no usage text).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

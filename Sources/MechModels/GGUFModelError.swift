import Foundation

/// Why a GGUF file cannot be read as a model, in one line naming the file.
public enum GGUFModelError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    case unsupportedArchitecture(path: String, architecture: String, supported: [String])
    case missingMetadata(path: String, key: String, expected: String)
    case unsupportedRopeScaling(path: String, type: String)
    case severalFiles(folder: String, names: [String])

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(path, architecture, supported):
            return "\(path): GGUF architecture '\(architecture)' is not supported (supported: \(supported.joined(separator: ", ")))"
        case let .missingMetadata(path, key, expected):
            return "\(path): GGUF metadata '\(key)' is missing or not \(expected)"
        case let .severalFiles(folder, names):
            return "\(folder) holds \(names.count) GGUF files (\(names.joined(separator: ", "))): name the one to open"
        case let .unsupportedRopeScaling(path, type):
            return "\(path): GGUF rope scaling '\(type)' is not supported (files without rope scaling are)"
        }
    }

    public var errorDescription: String? { description }
}

import Foundation

/// What can be wrong with a GGUF file. Each case names the file and, where it applies, the byte
/// offset, key or tensor, and `description` is one line a user can act on.
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    case notGGUF(path: String, magic: [UInt8])
    case unsupportedVersion(path: String, version: UInt32)
    case truncated(path: String, byteOffset: Int, reading: String)
    case implausibleCount(path: String, what: String, count: UInt64, byteOffset: Int, fileSize: Int)
    case invalidString(path: String, byteOffset: Int)
    case unknownValueType(path: String, key: String, type: UInt32, byteOffset: Int)
    case nestedArrayTooDeep(path: String, key: String)
    case duplicateKey(path: String, key: String)
    case badAlignment(path: String, value: String)
    case duplicateTensor(path: String, tensor: String)
    case badDimensions(path: String, tensor: String, reason: String)
    case unknownTensorType(path: String, tensor: String, type: UInt32)
    case misalignedTensor(path: String, tensor: String, offset: UInt64, alignment: Int)
    case tensorPastEnd(path: String, tensor: String, end: Int, fileSize: Int)
    case overlappingTensors(path: String, tensor: String, other: String)
    case unsupportedTensorType(path: String, tensor: String, type: String, supported: [String])
    case missingTensor(path: String, tensor: String, suggestions: [String])
    case missingMetadata(path: String, key: String, expected: String)
    case unsupportedTokenizer(path: String, model: String, supported: [String])

    /// The message on one line: control characters in names and paths are escaped.
    public var description: String { OneLineText.escaped(message) }
    public var errorDescription: String? { description }

    private var message: String {
        switch self {
        case let .notGGUF(path, magic):
            let shown = magic.map { String(format: "%02x", $0) }.joined(separator: " ")
            return "\(name(path)): not a GGUF file (starts with \(shown.isEmpty ? "nothing" : shown), not 'GGUF')"
        case let .unsupportedVersion(path, version):
            return "\(name(path)): GGUF version \(version) is not supported (versions 2 and 3 are)"
        case let .truncated(path, offset, reading):
            return "\(name(path)): file ends at byte \(offset) while reading \(reading) (file truncated?)"
        case let .implausibleCount(path, what, count, offset, size):
            return "\(name(path)): \(what) count \(count) at byte \(offset) cannot fit in the \(size)-byte file (truncated file or corrupt header?)"
        case let .invalidString(path, offset):
            return "\(name(path)): string at byte \(offset) is not valid UTF-8"
        case let .unknownValueType(path, key, type, offset):
            return "\(name(path)): metadata '\(key)' has unknown value type \(type) at byte \(offset)"
        case let .nestedArrayTooDeep(path, key):
            return "\(name(path)): metadata '\(key)' nests arrays more than 4 deep"
        case let .duplicateKey(path, key):
            return "\(name(path)): metadata key '\(key)' appears twice"
        case let .badAlignment(path, value):
            return "\(name(path)): general.alignment is \(value); it must be a power of two"
        case let .duplicateTensor(path, tensor):
            return "\(name(path)): tensor '\(tensor)' appears twice"
        case let .badDimensions(path, tensor, reason):
            return "\(name(path)): tensor '\(tensor)' \(reason)"
        case let .unknownTensorType(path, tensor, type):
            return "\(name(path)): tensor '\(tensor)' has unknown ggml type \(type)"
        case let .misalignedTensor(path, tensor, offset, alignment):
            return "\(name(path)): tensor '\(tensor)' starts at data offset \(offset), not a multiple of the alignment \(alignment)"
        case let .tensorPastEnd(path, tensor, end, fileSize):
            return "\(name(path)): tensor '\(tensor)' ends at byte \(end) but the file has \(fileSize) bytes (file truncated?)"
        case let .overlappingTensors(path, tensor, other):
            return "\(name(path)): tensors '\(other)' and '\(tensor)' overlap"
        case let .unsupportedTensorType(path, tensor, type, supported):
            return "\(name(path)): tensor '\(tensor)' is \(type), which Mechscope cannot read yet "
                + "(supported: \(supported.joined(separator: ", ")))"
        case let .missingMetadata(path, key, expected):
            return "\(name(path)): metadata '\(key)' is missing or not \(expected)"
        case let .unsupportedTokenizer(path, model, supported):
            return "\(name(path)): tokenizer.ggml.model '\(model)' is not supported yet (supported: \(supported.joined(separator: ", ")))"
        case let .missingTensor(path, tensor, suggestions):
            let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?)"
            return "\(name(path)): no tensor '\(tensor)'\(hint)"
        }
    }

    private func name(_ path: String) -> String { path }
}

import Foundation

/// Everything that can be wrong with a file mechscope reads or writes. Each case carries the file and,
/// where it applies, the tensor name and byte offset, and `description` is one line a user can act on.
public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    // Files in general
    case cannotOpen(path: String, reason: String)
    case notARegularFile(path: String)
    case cannotWrite(path: String, reason: String)
    case cannotCreate(path: String, reason: String)

    // Safetensors
    case truncatedFile(path: String, size: Int)
    case headerTooLarge(path: String, headerLength: UInt64, limit: Int)
    case headerPastEnd(path: String, headerLength: UInt64, fileSize: Int)
    case invalidHeaderJSON(path: String, byteOffset: Int, reason: String)
    case invalidHeader(path: String, reason: String)
    case invalidTensorEntry(path: String, tensor: String, reason: String)
    case unknownDtype(path: String, tensor: String, dtype: String)
    case invalidDataOffsets(path: String, tensor: String, begin: Int, end: Int)
    case tensorPastEnd(path: String, tensor: String, end: Int, dataLength: Int)
    case byteSizeMismatch(path: String, tensor: String, dtype: String, shape: [Int],
                          expectedBytes: Int, actualBytes: Int)
    case overlappingTensors(path: String, tensor: String, other: String, byteOffset: Int)
    case unsupportedDtype(path: String, tensor: String, dtype: String)
    case missingTensor(tensor: String, location: String, suggestions: [String])

    // Model weight folders
    case noWeightFiles(folder: String, foundInstead: [String])
    case invalidShardIndex(path: String, reason: String)
    case missingShard(indexPath: String, shard: String, tensor: String)
    case tensorNotInShard(indexPath: String, tensor: String, shard: String)

    // JSON files (config.json, shard indexes)
    case invalidJSON(path: String, byteOffset: Int, reason: String)
    case notAJSONObject(path: String, found: String)
    case missingKey(path: String, key: String)
    case wrongType(path: String, key: String, expected: String, found: String)

    // Locating a model
    case modelFolderWithoutConfig(folder: String)
    case modelPathNotFound(path: String)
    case modelNotInHubCache(repoID: String, searched: String)

    // NumPy .npy
    case invalidNpy(path: String, reason: String)
    case unsupportedNpyDtype(path: String, descr: String, accepted: [String])
    case npyDataSizeMismatch(path: String, expectedBytes: Int, actualBytes: Int)

    /// The message on one line: control characters in quoted names and paths are escaped.
    public var description: String { OneLineText.escaped(message) }

    private var message: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open \(path): \(reason)"
        case let .notARegularFile(path):
            return "\(path) is \(FileKind.describe(path)), not a regular file"
        case let .cannotWrite(path, reason):
            return "cannot write \(path): \(reason)"
        case let .cannotCreate(path, reason):
            return "cannot create \(path): \(reason)"

        case let .truncatedFile(path, size):
            return "\(name(path)): file is only \(size) bytes, shorter than the 8-byte header length "
                + "every safetensors file starts with (file truncated?)"
        case let .headerTooLarge(path, headerLength, limit):
            return "\(name(path)): header length field says \(headerLength) bytes, over the "
                + "\(limit / 1_000_000) MB limit (not a safetensors file?)"
        case let .headerPastEnd(path, headerLength, fileSize):
            return "\(name(path)): header length field says \(headerLength) bytes but only "
                + "\(max(fileSize - 8, 0)) bytes follow it (file truncated?)"
        case let .invalidHeaderJSON(path, byteOffset, reason):
            return "\(name(path)): header is not valid JSON: \(reason) at byte \(byteOffset)"
        case let .invalidHeader(path, reason):
            return "\(name(path)): invalid header: \(reason)"
        case let .invalidTensorEntry(path, tensor, reason):
            return "\(name(path)): tensor '\(tensor)' has an invalid header entry: \(reason)"
        case let .unknownDtype(path, tensor, dtype):
            return "\(name(path)): tensor '\(tensor)' has unknown dtype '\(dtype)'"
        case let .invalidDataOffsets(path, tensor, begin, end):
            return "\(name(path)): tensor '\(tensor)' has data_offsets [\(begin), \(end)] that end before they begin"
        case let .tensorPastEnd(path, tensor, end, dataLength):
            return "\(name(path)): tensor '\(tensor)' ends at byte \(end) but the file's data section is only "
                + "\(dataLength) bytes (file truncated?)"
        case let .byteSizeMismatch(path, tensor, dtype, shape, expectedBytes, actualBytes):
            return "\(name(path)): tensor '\(tensor)' is \(dtype) \(shape), which needs \(expectedBytes) bytes, "
                + "but its data_offsets span \(actualBytes) bytes"
        case let .overlappingTensors(path, tensor, other, byteOffset):
            return "\(name(path)): tensors '\(other)' and '\(tensor)' overlap at data byte \(byteOffset)"
        case let .unsupportedDtype(path, tensor, dtype):
            return "\(name(path)): tensor '\(tensor)' has unsupported dtype \(dtype) "
                + "(mechscope computes with F32, F16 and BF16 weights)"
        case let .missingTensor(tensor, location, suggestions):
            let hint = suggestions.isEmpty ? "" : "; similar names: " + suggestions.joined(separator: ", ")
            return "no tensor '\(tensor)' in \(location)\(hint)"

        case let .noWeightFiles(folder, foundInstead):
            let found = foundInstead.isEmpty
                ? ""
                : " (it holds \(foundInstead.joined(separator: ", ")); mechscope reads only these two safetensors layouts"
            return "no model.safetensors or model.safetensors.index.json in \(folder)\(found)"
        case let .invalidShardIndex(path, reason):
            return "\(path): invalid shard index: \(reason)"
        case let .missingShard(indexPath, shard, tensor):
            let folder = (indexPath as NSString).deletingLastPathComponent
            return "\(name(indexPath)) maps tensor '\(tensor)' to shard \(shard), which is missing from \(folder) "
                + "(incomplete download?)"
        case let .tensorNotInShard(indexPath, tensor, shard):
            return "\(name(indexPath)) maps tensor '\(tensor)' to shard \(shard), but that shard has no such tensor"

        case let .invalidJSON(path, byteOffset, reason):
            return "\(path): not valid JSON: \(reason) at byte \(byteOffset)"
        case let .notAJSONObject(path, found):
            return "\(path): expected a JSON object at the top level, found \(found)"
        case let .missingKey(path, key):
            return "\(name(path)): missing key '\(key)'"
        case let .wrongType(path, key, expected, found):
            return "\(name(path)): key '\(key)' should be \(expected), found \(found)"

        case let .modelFolderWithoutConfig(folder):
            return "\(folder) has no config.json; pass a Hugging Face model folder (config.json plus safetensors weights)"
        case let .modelPathNotFound(path):
            return "no model folder at \(path); pass a folder containing config.json, or a Hugging Face id "
                + "such as gpt2 that is in the local cache"
        case let .modelNotInHubCache(repoID, searched):
            return "model '\(repoID)' is not a folder here and is not in the local Hugging Face cache "
                + "(looked in \(searched)); mechscope never downloads: run `huggingface-cli download \(repoID)` "
                + "or pass a folder path"

        case let .invalidNpy(path, reason):
            return "\(name(path)): not a valid .npy file: \(reason)"
        case let .unsupportedNpyDtype(path, descr, accepted):
            return "\(name(path)): .npy dtype '\(descr)' is not supported (expected one of "
                + "\(accepted.joined(separator: ", ")))"
        case let .npyDataSizeMismatch(path, expectedBytes, actualBytes):
            return "\(name(path)): .npy header promises \(expectedBytes) data bytes but the file holds \(actualBytes)"
        }
    }

    public var errorDescription: String? { description }

    private func name(_ path: String) -> String {
        (path as NSString).lastPathComponent
    }
}

import Foundation
import MechTensor

/// All weights of a model folder behind one name → tensor lookup, whether the checkpoint is a single
/// `model.safetensors` or sharded with `model.safetensors.index.json`. Opening checks that the index is
/// consistent with the shards on disk, so a half-downloaded model fails at load time, not mid-analysis.
public final class WeightStore: @unchecked Sendable {
    /// One weight file and its size on disk.
    public struct WeightFile: Equatable, Sendable {
        public let url: URL
        public let size: Int
    }

    /// Tensor count and bytes of one dtype across the checkpoint.
    public struct DTypeSummary: Equatable, Sendable {
        public let dtype: SafetensorsDType
        public let tensorCount: Int
        public let byteCount: Int
    }

    /// The single-file checkpoint name Hugging Face uses.
    public static let singleFileName = "model.safetensors"
    /// The shard index name Hugging Face uses for sharded checkpoints.
    public static let indexFileName = "model.safetensors.index.json"

    /// The model folder the weights were read from.
    public let folder: URL
    /// All tensor names, sorted.
    public let names: [String]
    /// The safetensors files backing the store, in name order.
    public let files: [WeightFile]
    /// Whether the checkpoint is sharded (has an index file).
    public let isSharded: Bool

    private let fileForTensor: [String: SafetensorsFile]

    /// Opens the weights in `folder`, preferring the shard index when both layouts are present.
    public init(folder: URL) throws {
        self.folder = folder
        let indexURL = folder.appendingPathComponent(Self.indexFileName)
        let singleURL = folder.appendingPathComponent(Self.singleFileName)
        let fileManager = FileManager.default

        if fileManager.fileExists(atPath: indexURL.path) {
            isSharded = true
            fileForTensor = try Self.openShards(indexURL: indexURL, folder: folder)
        } else if fileManager.fileExists(atPath: singleURL.path) {
            isSharded = false
            let file = try SafetensorsFile(url: singleURL)
            var map: [String: SafetensorsFile] = [:]
            for name in file.tensorNames { map[name] = file }
            fileForTensor = map
        } else {
            throw FormatError.noWeightFiles(folder: folder.path, foundInstead: Self.otherCheckpoints(in: folder))
        }

        names = fileForTensor.keys.sorted()
        var seen = Set<ObjectIdentifier>()
        var files: [WeightFile] = []
        for file in fileForTensor.values where seen.insert(ObjectIdentifier(file)).inserted {
            files.append(WeightFile(url: file.url, size: file.fileSize))
        }
        self.files = files.sorted { $0.url.lastPathComponent < $1.url.lastPathComponent }
    }

    /// The header entry of tensor `name`, or nil if the checkpoint has no such tensor.
    public func info(named name: String) -> TensorInfo? {
        fileForTensor[name]?.info(named: name)
    }

    /// The URL of the file holding tensor `name`.
    public func fileURL(containing name: String) -> URL? {
        fileForTensor[name]?.url
    }

    /// Tensor `name` as float32 (borrowed from the memory map for aligned F32, converted once otherwise).
    public func tensor(named name: String) throws -> Tensor {
        try file(holding: name).tensor(named: name)
    }

    /// Tensor `name` as float32 in new memory the store does not keep (see `SafetensorsFile.transientTensor`).
    public func transientTensor(named name: String) throws -> Tensor {
        try file(holding: name).transientTensor(named: name)
    }

    /// The file holding tensor `name`, or a missing-tensor error naming the closest names.
    private func file(holding name: String) throws -> SafetensorsFile {
        guard let file = fileForTensor[name] else {
            throw FormatError.missingTensor(tensor: name, location: folder.path,
                                            suggestions: NameSuggestions.closest(to: name, among: names))
        }
        return file
    }

    /// Names of tensors converted to float32 and kept (16-bit or misaligned ones read with `tensor(named:)`).
    public var convertedTensorNames: [String] {
        var seen = Set<ObjectIdentifier>(), out: [String] = []
        for file in fileForTensor.values where seen.insert(ObjectIdentifier(file)).inserted {
            out += file.convertedTensorNames
        }
        return out.sorted()
    }

    /// Tensor counts and bytes per dtype, largest byte count first.
    public var dtypes: [DTypeSummary] {
        var counts: [SafetensorsDType: (tensors: Int, bytes: Int)] = [:]
        for name in names {
            guard let info = info(named: name) else { continue }
            let current = counts[info.dtype] ?? (0, 0)
            counts[info.dtype] = (current.tensors + 1, current.bytes + info.byteCount)
        }
        return counts
            .map { DTypeSummary(dtype: $0.key, tensorCount: $0.value.tensors, byteCount: $0.value.bytes) }
            .sorted { ($1.byteCount, $0.dtype) < ($0.byteCount, $1.dtype) }
    }

    /// Total bytes of tensor data in the checkpoint (headers excluded).
    public var totalBytes: Int {
        names.reduce(0) { $0 + (info(named: $1)?.byteCount ?? 0) }
    }

    // MARK: Opening

    /// Reads the index's `weight_map`, opens each shard once and checks every listed tensor is in its shard.
    private static func openShards(indexURL: URL, folder: URL) throws -> [String: SafetensorsFile] {
        let index = try JSONConfig(url: indexURL)
        guard let weightMapValue = index.value("weight_map") else {
            throw FormatError.invalidShardIndex(path: indexURL.path, reason: "missing 'weight_map'")
        }
        guard case .object(let weightMap) = weightMapValue else {
            throw FormatError.invalidShardIndex(
                path: indexURL.path, reason: "'weight_map' must be an object, found \(weightMapValue.typeName)")
        }

        var shards: [String: SafetensorsFile] = [:]
        var fileForTensor: [String: SafetensorsFile] = [:]
        for tensorName in weightMap.keys.sorted() {
            guard case .string(let shardName)? = weightMap[tensorName] else {
                throw FormatError.invalidShardIndex(
                    path: indexURL.path, reason: "weight_map entry for '\(tensorName)' must be a shard file name")
            }
            guard isPlainRelativePath(shardName) else {
                throw FormatError.invalidShardIndex(
                    path: indexURL.path, reason: "shard name '\(shardName)' points outside the model folder")
            }
            let shard: SafetensorsFile
            if let opened = shards[shardName] {
                shard = opened
            } else {
                let shardURL = folder.appendingPathComponent(shardName)
                guard FileManager.default.fileExists(atPath: shardURL.path) else {
                    throw FormatError.missingShard(indexPath: indexURL.path, shard: shardName, tensor: tensorName)
                }
                shard = try SafetensorsFile(url: shardURL)
                shards[shardName] = shard
            }
            guard shard.info(named: tensorName) != nil else {
                throw FormatError.tensorNotInShard(indexPath: indexURL.path, tensor: tensorName, shard: shardName)
            }
            fileForTensor[tensorName] = shard
        }
        return fileForTensor
    }

    /// True for names like `model-00001-of-00002.safetensors` or `sub/x.safetensors`; false for absolute
    /// paths and anything with a `..` component.
    private static func isPlainRelativePath(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.split(separator: "/").contains("..")
    }

    /// Checkpoint files in other formats, named in the "no safetensors" error so the user knows why.
    private static func otherCheckpoints(in folder: URL) -> [String] {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return contents.filter {
            $0.hasSuffix(".bin") || $0.hasSuffix(".pt") || $0.hasSuffix(".pth") || $0.hasSuffix(".ckpt")
                || $0.hasSuffix(".gguf") || $0.hasSuffix(".h5") || $0.hasSuffix(".msgpack")
                || ($0.hasSuffix(".safetensors") && $0 != singleFileName)
        }.sorted()
    }
}

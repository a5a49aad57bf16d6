import Foundation
import MechTensor

/// One `.safetensors` file, memory-mapped: opening reads and validates only the header, and F32
/// tensors are served straight from the mapping without a copy. F16/BF16 (and misaligned F32)
/// tensors are converted to float32 once, on first use, and cached for the life of this object.
public final class SafetensorsFile: @unchecked Sendable {
    /// The file's location (named in errors).
    public let url: URL
    /// Tensor names in the file, sorted.
    public let tensorNames: [String]
    /// The header's `__metadata__` (empty when absent).
    public let metadata: [String: String]
    /// File offset where the data section starts (8 + header length).
    public let dataStart: Int

    private let mapping: MemoryMappedFile
    private let infos: [String: TensorInfo]
    private let cacheLock = NSLock()
    private var convertedBuffers: [String: TensorBuffer] = [:]

    /// Maps the file and validates its header; cost is proportional to the header, not the weights.
    public init(url: URL) throws {
        self.url = url
        mapping = try MemoryMappedFile(url: url)
        let header = try SafetensorsHeader(file: mapping.bytes, path: url.path)
        infos = header.tensors
        metadata = header.metadata
        dataStart = header.dataStart
        tensorNames = header.tensors.keys.sorted()
    }

    /// Size of the file in bytes.
    public var fileSize: Int { mapping.size }

    /// The validated header entry for `name`, or nil if the file has no such tensor.
    public func info(named name: String) -> TensorInfo? {
        infos[name]
    }

    /// The tensor `name` as float32. F32 data at a 4-byte-aligned address is borrowed from the mapping;
    /// everything else is converted once and the same buffer is returned on later calls.
    public func tensor(named name: String) throws -> Tensor {
        let (info, source) = try readableData(named: name)
        let count = info.elementCount

        if info.dtype == .f32, count > 0, Int(bitPattern: source) % MemoryLayout<Float>.alignment == 0 {
            let floats = source.assumingMemoryBound(to: Float.self)
            return Tensor(shape: info.shape, buffer: TensorBuffer(borrowing: floats, count: count, owner: mapping))
        }
        return Tensor(shape: info.shape, buffer: convertedBuffer(for: info, source: source))
    }

    /// Tensor `name` as float32 in new memory that this file does not keep: F16/BF16 data stays in the
    /// mapping in its stored dtype, and each call converts it afresh (the forward pass of a 16-bit
    /// checkpoint converts a block's weights when it reaches the block, then lets them go).
    public func transientTensor(named name: String) throws -> Tensor {
        let (info, source) = try readableData(named: name)
        if info.dtype == .f32, info.elementCount > 0, Int(bitPattern: source) % MemoryLayout<Float>.alignment == 0 {
            return try tensor(named: name)   // already a view of the mapping
        }
        let buffer = TensorBuffer(count: info.elementCount, zeroed: false)
        Self.convert(info, source, into: buffer.pointer)
        return Tensor(shape: info.shape, buffer: buffer)
    }

    /// Tensor `name`'s header entry and the first byte of its data in the mapping, for a dtype Mechscope reads.
    private func readableData(named name: String) throws -> (TensorInfo, UnsafeRawPointer) {
        guard let info = infos[name] else {
            throw FormatError.missingTensor(tensor: name, location: url.path,
                                            suggestions: NameSuggestions.closest(to: name, among: tensorNames))
        }
        guard info.dtype.isLoadable else {
            throw FormatError.unsupportedDtype(path: url.path, tensor: name, dtype: info.dtype.rawValue)
        }
        guard let base = mapping.bytes.baseAddress else {  // cannot happen: the header check needs 8 bytes
            throw FormatError.truncatedFile(path: url.path, size: mapping.size)
        }
        return (info, UnsafeRawPointer(base.advanced(by: info.fileByteRange.lowerBound)))
    }

    /// Names of the tensors converted and kept so far (by `tensor(named:)`), sorted.
    public var convertedTensorNames: [String] {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        return convertedBuffers.keys.sorted()
    }

    private static func convert(_ info: TensorInfo, _ source: UnsafeRawPointer, into destination: UnsafeMutablePointer<Float>) {
        let count = info.elementCount
        guard count > 0 else { return }
        switch info.dtype {
        case .f32: memcpy(destination, source, count * MemoryLayout<Float>.size)
        case .f16: HalfPrecisionConversion.convertFloat16(source, count: count, into: destination)
        case .bf16: HalfPrecisionConversion.convertBFloat16(source, count: count, into: destination)
        default: break  // unreachable: callers check `isLoadable`
        }
    }

    /// The cached float32 copy of a tensor, made on first request under the lock so it happens once.
    private func convertedBuffer(for info: TensorInfo, source: UnsafeRawPointer) -> TensorBuffer {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let cached = convertedBuffers[info.name] { return cached }

        let buffer = TensorBuffer(count: info.elementCount, zeroed: false)
        Self.convert(info, source, into: buffer.pointer)
        convertedBuffers[info.name] = buffer
        return buffer
    }
}

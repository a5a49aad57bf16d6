import Foundation
import MechTensor

/// One GGUF file (llama.cpp's format), memory-mapped: opening reads and validates the header —
/// metadata, tensor table, offsets inside the file, no overlaps — and nothing of the weights.
/// `tensor(named:)` serves F32 tensors from the mapping and decodes F16, BF16 and the quantized types in `GGMLType.readable`
/// into a new float32 buffer on each call (the caller decides what to keep).
public final class GGUFFile: @unchecked Sendable {
    public let url: URL
    public let version: UInt32
    /// Metadata by key; `metadataKeys` keeps the file's order.
    public let metadata: [String: GGUFValue]
    public let metadataKeys: [String]
    /// The tensor table in file order.
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment`, or 32.
    public let alignment: Int
    /// File offset where tensor data starts.
    public let dataStart: Int

    private let mapping: MemoryMappedFile
    private let indexByName: [String: Int]

    public static let magic: [UInt8] = Array("GGUF".utf8)
    public static let defaultAlignment = 32
    static let maximumArrayDepth = 4
    static let maximumDimensions = 4

    public init(url: URL) throws {
        self.url = url
        mapping = try MemoryMappedFile(url: url)
        let path = url.path
        var reader = GGUFByteReader(bytes: mapping.bytes, path: path)

        let head = Array(mapping.bytes.prefix(4))
        guard head == Self.magic else { throw GGUFError.notGGUF(path: path, magic: head) }
        _ = try reader.integer(UInt32.self, "the magic")
        version = try reader.integer(UInt32.self, "the version")
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(path: path, version: version) }
        // A tensor entry takes at least 8 (name length) + 4 (dims) + 8 (one dim) + 4 (type) + 8 (offset) bytes,
        // a metadata entry at least 8 (key length) + 4 (type) + 1 (value).
        let tensorCount = try reader.count("tensor", minimumItemSize: 32)
        let metadataCount = try reader.count("metadata entry", minimumItemSize: 13)

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        for i in 0..<metadataCount {
            let key = try reader.string("metadata key \(i)")
            let type = try reader.integer(UInt32.self, "the type of '\(key)'")
            let value = try Self.value(ofType: type, key: key, depth: 0, &reader)
            guard metadata.updateValue(value, forKey: key) == nil else { throw GGUFError.duplicateKey(path: path, key: key) }
            keys.append(key)
        }
        self.metadata = metadata
        metadataKeys = keys

        if let value = metadata["general.alignment"] {
            guard let a = value.int, a > 0, a & (a - 1) == 0, a <= 1 << 20 else {
                throw GGUFError.badAlignment(path: path, value: "\(value)")
            }
            alignment = a
        } else {
            alignment = Self.defaultAlignment
        }

        var entries: [(name: String, dims: [Int], type: GGMLType, offset: UInt64)] = []
        var indexByName: [String: Int] = [:]
        for i in 0..<tensorCount {
            let name = try reader.string("the name of tensor \(i)")
            let nDims = try reader.integer(UInt32.self, "the dimension count of '\(name)'")
            guard (1...UInt32(Self.maximumDimensions)).contains(nDims) else {
                throw GGUFError.badDimensions(path: path, tensor: name, reason: "has \(nDims) dimensions (1 to 4 allowed)")
            }
            var dims: [Int] = []
            for _ in 0..<nDims {
                let d = try reader.integer(UInt64.self, "the dimensions of '\(name)'")
                guard d >= 1, d <= UInt64(Int32.max) else {
                    throw GGUFError.badDimensions(path: path, tensor: name, reason: "has a dimension of \(d)")
                }
                dims.append(Int(d))
            }
            let rawType = try reader.integer(UInt32.self, "the type of '\(name)'")
            guard let type = GGMLType(rawValue: rawType) else {
                throw GGUFError.unknownTensorType(path: path, tensor: name, type: rawType)
            }
            let offset = try reader.integer(UInt64.self, "the data offset of '\(name)'")
            guard indexByName.updateValue(entries.count, forKey: name) == nil else {
                throw GGUFError.duplicateTensor(path: path, tensor: name)
            }
            entries.append((name, dims, type, offset))
        }
        self.indexByName = indexByName

        let fileSize = mapping.size
        dataStart = (reader.offset + alignment - 1) / alignment * alignment
        var tensors: [GGUFTensorInfo] = []
        for entry in entries {
            let (elements, blockBytes) = entry.type.blockLayout
            guard entry.dims[0] % elements == 0 else {
                throw GGUFError.badDimensions(path: path, tensor: entry.name,
                                              reason: "has rows of \(entry.dims[0]), not a multiple of \(entry.type.name)'s block of \(elements)")
            }
            var count = 1
            for d in entry.dims {
                let (product, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow, product <= fileSize * elements else {
                    throw GGUFError.badDimensions(path: path, tensor: entry.name,
                                                  reason: "has dimensions \(entry.dims): more elements than a \(fileSize)-byte file can hold")
                }
                count = product
            }
            guard entry.offset % UInt64(alignment) == 0 else {
                throw GGUFError.misalignedTensor(path: path, tensor: entry.name, offset: entry.offset, alignment: alignment)
            }
            let byteCount = count / elements * blockBytes
            guard entry.offset <= UInt64(fileSize), dataStart + Int(entry.offset) + byteCount <= fileSize else {
                let end = entry.offset > UInt64(fileSize) ? Int.max : dataStart + Int(entry.offset) + byteCount
                throw GGUFError.tensorPastEnd(path: path, tensor: entry.name, end: end, fileSize: fileSize)
            }
            let start = dataStart + Int(entry.offset)
            tensors.append(GGUFTensorInfo(name: entry.name, dimensions: entry.dims, type: entry.type,
                                          fileByteRange: start..<(start + byteCount)))
        }
        let byStart = tensors.filter { !$0.fileByteRange.isEmpty }.sorted { $0.fileByteRange.lowerBound < $1.fileByteRange.lowerBound }
        for (a, b) in zip(byStart, byStart.dropFirst()) where b.fileByteRange.lowerBound < a.fileByteRange.upperBound {
            throw GGUFError.overlappingTensors(path: path, tensor: b.name, other: a.name)
        }
        self.tensors = tensors
    }

    /// The model architecture the file names (`general.architecture`: "llama", "gpt2", …).
    public var architecture: String? { metadata["general.architecture"]?.string }

    public var tensorNames: [String] { tensors.map(\.name) }

    /// Size of the file in bytes.
    public var fileSize: Int { mapping.size }

    public func info(named name: String) -> GGUFTensorInfo? { indexByName[name].map { tensors[$0] } }

    /// The tensor `name` as float32 in row-major order (`info.shape`).
    public func tensor(named name: String) throws -> Tensor {
        guard let info = info(named: name) else {
            throw GGUFError.missingTensor(path: url.path, tensor: name,
                                          suggestions: NameSuggestions.closest(to: name, among: tensorNames))
        }
        guard info.type.isReadable else {
            throw GGUFError.unsupportedTensorType(path: url.path, tensor: name, type: info.type.name,
                                                  supported: GGMLType.readable.map(\.name))
        }
        let source = mapping.bytes.baseAddress! + info.fileByteRange.lowerBound  // non-empty: every tensor has ≥ 1 element
        let count = info.elementCount
        if info.type == .f32, Int(bitPattern: source) % MemoryLayout<Float>.alignment == 0 {
            return Tensor(shape: info.shape,
                          buffer: TensorBuffer(borrowing: source.assumingMemoryBound(to: Float.self), count: count, owner: mapping))
        }
        let buffer = TensorBuffer(count: count, zeroed: false)
        GGMLDequantization.decode(info.type, source, count: count, into: buffer.pointer)
        return Tensor(shape: info.shape, buffer: buffer)
    }

    /// One metadata value of GGUF type `type`; arrays recurse up to `maximumArrayDepth`.
    private static func value(ofType type: UInt32, key: String, depth: Int, _ r: inout GGUFByteReader) throws -> GGUFValue {
        let what = "the value of '\(key)'"
        switch type {
        case 0: return .uint8(try r.integer(UInt8.self, what))
        case 1: return .int8(try r.integer(Int8.self, what))
        case 2: return .uint16(try r.integer(UInt16.self, what))
        case 3: return .int16(try r.integer(Int16.self, what))
        case 4: return .uint32(try r.integer(UInt32.self, what))
        case 5: return .int32(try r.integer(Int32.self, what))
        case 6: return .float32(Float(bitPattern: try r.integer(UInt32.self, what)))
        case 7: return .bool(try r.integer(UInt8.self, what) != 0)
        case 8: return .string(try r.string(what))
        case 9:
            guard depth < maximumArrayDepth else { throw GGUFError.nestedArrayTooDeep(path: r.path, key: key) }
            let at = r.offset
            let itemType = try r.integer(UInt32.self, "the item type of '\(key)'")
            guard let size = minimumSize(ofType: itemType) else {
                throw GGUFError.unknownValueType(path: r.path, key: key, type: itemType, byteOffset: at)
            }
            let count = try r.count("'\(key)' item", minimumItemSize: size)
            var items: [GGUFValue] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try value(ofType: itemType, key: key, depth: depth + 1, &r)) }
            return .array(items)
        case 10: return .uint64(try r.integer(UInt64.self, what))
        case 11: return .int64(try r.integer(Int64.self, what))
        case 12: return .float64(Double(bitPattern: try r.integer(UInt64.self, what)))
        default: throw GGUFError.unknownValueType(path: r.path, key: key, type: type, byteOffset: r.offset - 4)
        }
    }

    /// Fewest bytes one value of a GGUF value type takes (nil for unknown types).
    private static func minimumSize(ofType type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: return 1
        case 2, 3: return 2
        case 4, 5, 6: return 4
        case 8: return 8
        case 9: return 12
        case 10, 11, 12: return 8
        default: return nil
        }
    }
}

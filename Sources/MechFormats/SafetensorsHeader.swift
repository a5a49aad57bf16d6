import Foundation

/// The validated header of a safetensors file: every tensor's dtype, shape and byte range, plus the
/// optional `__metadata__` map. Validation is strict so a corrupt file fails here, naming the problem,
/// instead of producing garbage weights later. Only header bytes are read.
struct SafetensorsHeader {
    /// Header lengths above this are rejected as corrupt (real headers are at most a few MB).
    static let maximumHeaderLength = 100_000_000

    let tensors: [String: TensorInfo]
    let metadata: [String: String]
    /// File offset of the data section (8 + header length).
    let dataStart: Int
    /// Bytes in the data section (file size − dataStart).
    let dataLength: Int

    /// Parses and validates the header at the start of `file` (`path` names it in errors).
    init(file: UnsafeRawBufferPointer, path: String) throws {
        guard file.count >= 8 else { throw FormatError.truncatedFile(path: path, size: file.count) }
        let headerLength = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard headerLength <= UInt64(Self.maximumHeaderLength) else {
            throw FormatError.headerTooLarge(path: path, headerLength: headerLength, limit: Self.maximumHeaderLength)
        }
        guard headerLength <= UInt64(file.count - 8) else {
            throw FormatError.headerPastEnd(path: path, headerLength: headerLength, fileSize: file.count)
        }
        dataStart = 8 + Int(headerLength)
        dataLength = file.count - dataStart

        let root: JSONValue
        do {
            root = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: file[8..<dataStart]))
        } catch let error as JSONSyntaxError {
            throw FormatError.invalidHeaderJSON(path: path, byteOffset: 8 + error.offset, reason: error.message)
        }
        guard case .object(let entries) = root else {
            throw FormatError.invalidHeader(path: path, reason: "expected a JSON object, found \(root.typeName)")
        }

        var metadata: [String: String] = [:]
        var tensors: [String: TensorInfo] = [:]
        for (name, entry) in entries {
            if name == "__metadata__" {
                metadata = try Self.parseMetadata(entry, path: path)
            } else {
                tensors[name] = try Self.parseTensor(name: name, entry: entry, path: path,
                                                     dataStart: dataStart, dataLength: dataLength)
            }
        }
        try Self.checkNoOverlap(Array(tensors.values), path: path)
        self.tensors = tensors
        self.metadata = metadata
    }

    private static func parseMetadata(_ value: JSONValue, path: String) throws -> [String: String] {
        guard case .object(let members) = value else {
            throw FormatError.invalidHeader(path: path, reason: "__metadata__ must be an object, found \(value.typeName)")
        }
        var metadata: [String: String] = [:]
        for (key, member) in members {
            guard case .string(let string) = member else {
                throw FormatError.invalidHeader(
                    path: path, reason: "__metadata__ value for '\(key)' must be a string, found \(member.typeName)")
            }
            metadata[key] = string
        }
        return metadata
    }

    private static func parseTensor(name: String, entry: JSONValue, path: String,
                                    dataStart: Int, dataLength: Int) throws -> TensorInfo {
        func invalid(_ reason: String) -> FormatError {
            .invalidTensorEntry(path: path, tensor: name, reason: reason)
        }
        guard case .object(let fields) = entry else { throw invalid("expected an object, found \(entry.typeName)") }

        guard let dtypeValue = fields["dtype"] else { throw invalid("missing 'dtype'") }
        guard case .string(let dtypeName) = dtypeValue else {
            throw invalid("'dtype' must be a string, found \(dtypeValue.typeName)")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw FormatError.unknownDtype(path: path, tensor: name, dtype: dtypeName)
        }

        guard let shapeValue = fields["shape"] else { throw invalid("missing 'shape'") }
        guard case .array(let shapeElements) = shapeValue else {
            throw invalid("'shape' must be an array, found \(shapeValue.typeName)")
        }
        var shape: [Int] = []
        for element in shapeElements {
            guard case .integer(let dimension) = element, dimension >= 0 else {
                throw invalid("'shape' must hold non-negative integers, found \(element)")
            }
            shape.append(dimension)
        }

        guard let offsetsValue = fields["data_offsets"] else { throw invalid("missing 'data_offsets'") }
        guard case .array(let offsetElements) = offsetsValue, offsetElements.count == 2,
              case .integer(let begin) = offsetElements[0], case .integer(let end) = offsetElements[1],
              begin >= 0, end >= 0 else {
            throw invalid("'data_offsets' must be two non-negative integers [begin, end]")
        }
        guard begin <= end else {
            throw FormatError.invalidDataOffsets(path: path, tensor: name, begin: begin, end: end)
        }
        guard end <= dataLength else {
            throw FormatError.tensorPastEnd(path: path, tensor: name, end: end, dataLength: dataLength)
        }

        var expectedBytes = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = expectedBytes.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("shape \(shape) has too many elements") }
            expectedBytes = product
        }
        guard expectedBytes == end - begin else {
            throw FormatError.byteSizeMismatch(path: path, tensor: name, dtype: dtype.rawValue, shape: shape,
                                               expectedBytes: expectedBytes, actualBytes: end - begin)
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, byteRange: begin..<end, dataStart: dataStart)
    }

    /// Rejects any two non-empty tensors whose byte ranges share a byte.
    private static func checkNoOverlap(_ infos: [TensorInfo], path: String) throws {
        let ordered = infos.filter { !$0.byteRange.isEmpty }.sorted {
            ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name)
        }
        var previous: TensorInfo?
        for info in ordered {
            if let previous, info.byteRange.lowerBound < previous.byteRange.upperBound {
                throw FormatError.overlappingTensors(path: path, tensor: info.name, other: previous.name,
                                                     byteOffset: info.byteRange.lowerBound)
            }
            previous = info  // sorted and non-overlapping so far: this one ends last
        }
    }
}

/// What a safetensors header says about one tensor, validated: where its bytes are and how to read them.
public struct TensorInfo: Equatable, Sendable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    /// The tensor's bytes relative to the start of the data section (the header's `data_offsets`).
    public let byteRange: Range<Int>
    /// The same bytes as absolute offsets in the file.
    public let fileByteRange: Range<Int>

    /// An entry whose `byteRange` is relative to a data section starting at file offset `dataStart`.
    public init(name: String, dtype: SafetensorsDType, shape: [Int], byteRange: Range<Int>, dataStart: Int) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteRange = byteRange
        self.fileByteRange = (dataStart + byteRange.lowerBound)..<(dataStart + byteRange.upperBound)
    }

    /// Number of elements (1 for a scalar of shape []).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Number of bytes the tensor occupies in the file.
    public var byteCount: Int { byteRange.count }
}

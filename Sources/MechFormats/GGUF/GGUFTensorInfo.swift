/// One tensor's entry in a GGUF header, validated against the file.
public struct GGUFTensorInfo: Equatable, Sendable {
    public let name: String
    /// ggml's dimensions, fastest-varying first (`ne[0]` is the row length).
    public let dimensions: [Int]
    public let type: GGMLType
    /// Byte range in the file.
    public let fileByteRange: Range<Int>

    /// The shape in row-major order, as PyTorch and safetensors write it: ggml's dimensions reversed
    /// (a GGUF `[576, 49152]` embedding is `[49152, 576]`).
    public var shape: [Int] { dimensions.reversed() }

    public var elementCount: Int { dimensions.reduce(1, *) }
}

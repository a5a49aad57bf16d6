import Foundation

/// A dense row-major float32 array with a shape: the one data type activations and weights share.
///
/// A tensor is a view (`offset`, `shape`) on a `TensorBuffer`; views made by `reshaped` and `row`
/// share memory. Ops never write into their inputs; they return new tensors.
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    public let shape: [Int]
    public let buffer: TensorBuffer
    public let offset: Int

    public init(shape: [Int], buffer: TensorBuffer, offset: Int = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(offset + shape.reduce(1, *) <= buffer.count || shape.reduce(1, *) == 0,
                     "view \(shape) at \(offset) past buffer of \(buffer.count)")
        self.shape = shape
        self.buffer = buffer
        self.offset = offset
    }

    /// A zero-filled tensor.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, buffer: TensorBuffer(count: shape.reduce(1, *)))
    }

    /// A tensor whose contents the caller will overwrite entirely.
    public init(uninitialized shape: [Int]) {
        self.init(shape: shape, buffer: TensorBuffer(count: shape.reduce(1, *), zeroed: false))
    }

    /// A tensor holding a copy of `values` (row-major).
    public init(shape: [Int], values: [Float]) {
        let n = shape.reduce(1, *)
        precondition(values.count == n, "\(values.count) values for shape \(shape)")
        self.init(uninitialized: shape)
        values.withUnsafeBufferPointer { src in
            if n > 0 { pointer.update(from: src.baseAddress!, count: n) }
        }
    }

    /// A tensor filled with `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(uninitialized: shape)
        pointer.update(repeating: value, count: count)
    }

    public var count: Int { shape.reduce(1, *) }
    public var rank: Int { shape.count }
    public var pointer: UnsafeMutablePointer<Float> { buffer.pointer + offset }

    /// Elements as a Swift array (a copy).
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Row-major strides in elements.
    public var strides: [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) { s[i] = acc; acc *= shape[i] }
        return s
    }

    /// The element at a full index.
    public subscript(_ index: Int...) -> Float {
        get { pointer[flatIndex(index)] }
        nonmutating set { pointer[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var flat = 0
        for (i, (ix, dim)) in zip(index, shape).enumerated() {
            precondition(ix >= 0 && ix < dim, "index \(index) out of range for shape \(shape) (axis \(i))")
            flat = flat * dim + ix
        }
        return flat
    }

    /// The same elements under another shape (shares memory); one dimension may be -1.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var dims = newShape
        if let inferred = dims.firstIndex(of: -1) {
            let known = dims.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            dims[inferred] = known == 0 ? 0 : count / known
        }
        precondition(dims.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: dims, buffer: buffer, offset: offset)
    }

    /// Sub-tensor `i` along the first axis (shares memory).
    public func row(_ i: Int) -> Tensor {
        precondition(rank >= 1 && i >= 0 && i < shape[0], "row \(i) out of range for shape \(shape)")
        let inner = Array(shape.dropFirst())
        return Tensor(shape: inner, buffer: buffer, offset: offset + i * inner.reduce(1, *))
    }

    /// Rows `range` along the first axis (shares memory).
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) out of range for shape \(shape)")
        var dims = shape
        dims[0] = range.count
        let inner = shape.dropFirst().reduce(1, *)
        return Tensor(shape: dims, buffer: buffer, offset: offset + range.lowerBound * inner)
    }

    /// A copy in new owned memory.
    public func copy() -> Tensor {
        let out = Tensor(uninitialized: shape)
        if count > 0 { out.pointer.update(from: pointer, count: count) }
        return out
    }

    public var description: String {
        let preview = scalars.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor\(shape)[\(preview)\(count > 8 ? ", …" : "")]"
    }
}

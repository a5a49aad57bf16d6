/// Elementwise arithmetic on tensors of the same element count (the residual stream's sums).
public extension Tensor {
    /// self + other, as a new tensor.
    static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        precondition(lhs.count == rhs.count, "add: \(lhs.shape) and \(rhs.shape) differ in size")
        let out = lhs.copy()
        out.add(rhs)
        return out
    }

    /// self − other, as a new tensor.
    static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        precondition(lhs.count == rhs.count, "subtract: \(lhs.shape) and \(rhs.shape) differ in size")
        let out = lhs.copy()
        out.add(rhs, scaledBy: -1)
        return out
    }

    /// In place: self += alpha·other (the tensor's memory is shared by its views).
    func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(count == other.count, "add: \(shape) and \(other.shape) differ in size")
        let a = pointer, b = other.pointer
        let raw = UnsafeMutableRawPointer(a), rawB = UnsafeRawPointer(b)
        var i = 0
        let n = count
        while i + 16 <= n {
            let va = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            let vb = rawB.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            raw.storeBytes(of: va + alpha * vb, toByteOffset: i * 4, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n { a[i] += alpha * b[i]; i += 1 }
    }

    /// In place: adds a vector of the last axis's length to every row (a broadcast bias).
    func addToEachRow(_ vector: Tensor) {
        let d = shape.last ?? 0
        precondition(vector.count == d, "row add: vector \(vector.shape) for rows of \(d)")
        guard d > 0 else { return }
        for r in 0..<(count / d) {
            let row = Tensor(shape: [d], buffer: buffer, offset: offset + r * d)
            row.add(vector)
        }
    }

    /// In place: multiplies every element by `factor`.
    func scale(by factor: Float) {
        VectorMath.map(pointer, count: count) { $0 * factor }
    }

    /// In place: sets every element to `value`.
    func fill(_ value: Float) {
        pointer.update(repeating: value, count: count)
    }
}

import MechTensor

/// A projection's weight as its checkpoint stores it. GPT-2's Conv1D stores it in x·W orientation
/// ([in, out], possibly a block of columns of a fused tensor); nn.Linear stores Wᵀ ([out, in]).
/// The forward pass multiplies either in place (x·Wᵀ is one BLAS call with B transposed), so an
/// nn.Linear checkpoint is neither copied nor transposed to run. Analyses that slice W per head
/// read `matrix`, the x·W orientation: for [out, in] storage a transposed copy made on first use
/// and kept as long as this value (one block's worth, see `TransformerWeights.block(_:)`).
public final class LinearWeight: @unchecked Sendable {
    public enum Storage {
        /// [in, out] through a leading dimension.
        case inByOut(WeightMatrix)
        /// nn.Linear's [out, in], whole and contiguous.
        case outByIn(Tensor)
    }

    public let storage: Storage
    private let transposed: Lazy<WeightMatrix>

    public init(_ storage: Storage) {
        self.storage = storage
        switch storage {
        case .inByOut(let m): transposed = Lazy { m }
        case .outByIn(let t): transposed = Lazy { WeightMatrix(t.transposedCopy()) }
        }
    }

    /// Already in x·W orientation.
    public convenience init(_ matrix: WeightMatrix) { self.init(.inByOut(matrix)) }

    public var inFeatures: Int {
        switch storage {
        case .inByOut(let m): return m.rows
        case .outByIn(let t): return t.shape[1]
        }
    }

    public var outFeatures: Int {
        switch storage {
        case .inByOut(let m): return m.cols
        case .outByIn(let t): return t.shape[0]
        }
    }

    /// W in x·W orientation [in, out] (made on first use for [out, in] storage).
    public var matrix: WeightMatrix { transposed.value }

    /// x·W + b: [n, in] → [n, out], multiplying the stored layout as it is.
    public func apply(_ x: Tensor, bias: Tensor?) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inFeatures, "linear: input \(x.shape) does not fit \(inFeatures) → \(outFeatures)")
        switch storage {
        case .inByOut(let w):
            return x.linear(weight: w.pointer, ld: w.ld, outputs: outFeatures, storedOutByIn: false, bias: bias)
        case .outByIn(let w):
            return x.linear(weight: w.pointer, ld: inFeatures, outputs: outFeatures, storedOutByIn: true, bias: bias)
        }
    }
}

/// One complex eigenvalue, in double precision: OV circuits are not symmetric, so their
/// eigenvalues come in real values and conjugate pairs.
public struct Eigenvalue: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var real: Double
    public var imaginary: Double

    public init(real: Double, imaginary: Double = 0) {
        self.real = real
        self.imaginary = imaginary
    }

    /// |λ|, the modulus.
    public var magnitude: Double { (real * real + imaginary * imaginary).squareRoot() }

    public var description: String {
        imaginary == 0 ? "\(real)" : "\(real)\(imaginary < 0 ? "-" : "+")\(Swift.abs(imaginary))i"
    }
}

public extension Array where Element == Eigenvalue {
    /// The paper's copying score Σλ / Σ|λ| ("A Mathematical Framework for Transformer Circuits";
    /// TransformerLens demos: `eigenvalues.sum(-1).real / eigenvalues.abs().sum(-1)`): 1 when every
    /// eigenvalue is positive real (the circuit copies), −1 when every one is negative real.
    /// NaN for an empty list or all-zero eigenvalues, as the 0/0 in TransformerLens.
    var copyingScore: Double {
        var sum = 0.0, absSum = 0.0
        for λ in self { sum += λ.real; absSum += λ.magnitude }
        return sum / absSum
    }

    /// The eigenvalues in a canonical order (real part descending, then imaginary part descending),
    /// so lists from different LAPACK builds can be compared entry by entry.
    func sortedCanonically() -> [Eigenvalue] {
        sorted { $0.real != $1.real ? $0.real > $1.real : $0.imaginary > $1.imaginary }
    }
}

import MechModels
import MechTensor

/// Which of a head's processed matrices hold NaN or ±∞. A circuit report leaves out the parts that
/// read them (LAPACK refuses such input, and no score built on them means anything) and names them.
extension HeadCircuitWeights {
    /// "W_Q", "W_K", "W_V", "W_O": those holding a non-finite value, in that order.
    public var nonFiniteMatrices: [String] {
        [("W_Q", wQ), ("W_K", wK), ("W_V", wV), ("W_O", wO)].filter { !NonFiniteValues.allFinite($0.1) }.map(\.0)
    }

    /// Whether W_Q and W_K (the QK circuit) are finite.
    public var qkIsFinite: Bool { NonFiniteValues.allFinite(wQ) && NonFiniteValues.allFinite(wK) }

    /// Whether W_V and W_O (the OV circuit) are finite.
    public var ovIsFinite: Bool { NonFiniteValues.allFinite(wV) && NonFiniteValues.allFinite(wO) }
}

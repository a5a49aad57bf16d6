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

extension ProcessedWeights {
    /// Every head whose processed W_Q, W_K, W_V or W_O holds NaN or ±∞, with those matrices ("L1H2", ["W_K"]),
    /// read one layer at a time.
    public func headsWithNonFiniteWeights() -> [(head: String, matrices: [String])] {
        var found: [(head: String, matrices: [String])] = []
        for l in 0..<layerCount {
            let attention = attention(l)
            for h in 0..<headCount {
                let matrices = HeadCircuitWeights(attention, layer: l, head: h).nonFiniteMatrices
                if !matrices.isEmpty { found.append(("L\(l)H\(h)", matrices)) }
            }
        }
        return found
    }
}

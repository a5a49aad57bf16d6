/// Why `circuit` left part of its report out or printed nan, in one line naming the circuit, the
/// head and the matrices holding NaN or ±∞ (the parts that do not read them are still printed).
enum CircuitNonFiniteError: Error, CustomStringConvertible {
    /// The asked-for head's QK or OV circuit (`circuit` "QK" or "OV") holds non-finite values.
    case headCircuit(circuit: String, head: String, matrices: [String], leftOut: String, folder: String)
    /// An earlier head's OV circuit does, so its composition scores into `into` are nan.
    case earlierHead(head: String, matrices: [String], into: String, folder: String)
    /// Heads whose weights do, so every composition score they take part in is nan (`heads --composition`).
    case compositionHeads(heads: [(head: String, matrices: [String])], folder: String)

    var description: String {
        switch self {
        case let .headCircuit(circuit, head, matrices, leftOut, folder):
            return "the \(circuit) circuit of \(head) holds non-finite values (in \(matrices.joined(separator: " and ")); "
                + "model \(folder)): \(leftOut) left out (null in JSON)"
        case let .compositionHeads(heads, folder):
            let named = heads.prefix(3).map { "\($0.head) (\($0.matrices.joined(separator: ", ")))" }.joined(separator: ", ")
            let more = heads.count > 3 ? " and \(heads.count - 3) more" : ""
            return "the weights of \(named)\(more) hold non-finite values (model \(folder)): "
                + "the composition scores they take part in are nan (null in JSON)"
        case let .earlierHead(head, matrices, into, folder):
            return "the OV circuit of \(head) holds non-finite values (in \(matrices.joined(separator: " and ")); "
                + "model \(folder)): its composition scores into \(into) are nan (null in JSON)"
        }
    }
}

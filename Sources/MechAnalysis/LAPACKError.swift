import Foundation

/// Why a LAPACK routine gave no answer, named after the routine so a report can say which
/// analysis failed and on what.
public enum LAPACKError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// An input held NaN or infinity (LAPACK's results on such input are undefined).
    case nonFiniteInput(routine: String, rows: Int, columns: Int)
    /// LAPACK rejected argument number `index` (a Mechscope bug, reported rather than hidden).
    case illegalArgument(routine: String, index: Int)
    /// The iteration did not converge (`info` > 0 from the routine).
    case didNotConverge(routine: String, info: Int, rows: Int, columns: Int)

    public var description: String {
        switch self {
        case let .nonFiniteInput(routine, rows, columns):
            return "\(routine): the \(rows)×\(columns) matrix holds NaN or infinity; check the model's weights for non-finite values"
        case let .illegalArgument(routine, index):
            return "\(routine): argument \(index) was rejected by LAPACK (an internal error in Mechscope; please report it)"
        case let .didNotConverge(routine, info, rows, columns):
            return "\(routine): did not converge on the \(rows)×\(columns) matrix (info \(info)); the weights may be badly scaled"
        }
    }

    public var errorDescription: String? { description }
}

import Foundation
import MechTensor

/// One hook of a summarized golden (Tests/golden/make_real_smollm2_hook_goldens.py), for models whose full
/// tensors are too large to commit: the shape, the count of -inf elements (the causal mask), the L2 norm, the
/// norm of each position's slice along `positionAxis`, and sampled elements at row-major flat indices.
/// Statistics cover the finite elements only.
public struct HookSummary {
    public let name: String
    public let shape: [Int]
    public let masked: Int
    public let norm: Double
    public let positionAxis: Int
    public let positionNorms: [Double]
    public let samples: [(index: Int, value: Double)]

    public init(name: String, json: [String: Any]) {
        self.name = name
        shape = GoldenJSON.ints(json["shape"])
        masked = (json["masked"] as! NSNumber).intValue
        norm = GoldenJSON.number(json["norm"])
        positionAxis = (json["position_axis"] as! NSNumber).intValue
        positionNorms = GoldenJSON.doubles(json["position_norms"])
        samples = (json["samples"] as! [[Any]]).map { (($0[0] as! NSNumber).intValue, ($0[1] as! NSNumber).doubleValue) }
    }

    /// How many numbers `mismatches` compares: the norm, each position's norm and each sample.
    public var valueCount: Int { 1 + positionNorms.count + samples.count }

    /// Where `actual` differs from the summary, one line each (empty when it matches). Shape and mask count
    /// must be equal; every compared number a (ours) against b (reference) must satisfy
    ///   |a − b| ≤ rtol·|b|                  for the whole-tensor norm,
    ///   |a − b| ≤ rtol·(|b| + norm/√P)      for the P position norms (norm/√P is their RMS),
    ///   |a − b| ≤ rtol·(|b| + norm/√n)      for sampled elements (norm/√n is the RMS of the n finite elements),
    /// so numbers near zero are held to the hook's own scale rather than to their tiny magnitude.
    public func mismatches(_ actual: Tensor, rtol: Double = 1e-3) -> [String] {
        guard actual.shape == shape else { return ["\(name): shape \(actual.shape), reference \(shape)"] }
        let values = UnsafeBufferPointer(start: actual.pointer, count: actual.count)
        var problems: [String] = []
        var sumSquares = 0.0, infinite = 0
        var positionSquares = [Double](repeating: 0, count: shape[positionAxis])
        let stride = shape[(positionAxis + 1)...].reduce(1, *)
        for (i, value) in values.enumerated() {
            if value.isNaN || value == .infinity { return ["\(name)[\(i)]: \(value)"] }
            if value == -.infinity { infinite += 1; continue }
            let square = Double(value) * Double(value)
            sumSquares += square
            positionSquares[(i / stride) % shape[positionAxis]] += square
        }
        if infinite != masked { problems.append("\(name): \(infinite) elements -inf, reference \(masked)") }
        func check(_ a: Double, _ b: Double, scale: Double, _ what: String) {
            if !(abs(a - b) <= rtol * (abs(b) + scale)) { problems.append("\(name) \(what): \(a), reference \(b)") }
        }
        check(sumSquares.squareRoot(), norm, scale: 0, "norm")
        if positionNorms.count != shape[positionAxis] {
            problems.append("\(name): \(positionNorms.count) position norms for axis \(positionAxis) of \(shape)")
        } else {
            let rms = norm / Double(positionNorms.count).squareRoot()
            for (p, expected) in positionNorms.enumerated() {
                check(positionSquares[p].squareRoot(), expected, scale: rms, "position \(p) norm")
            }
        }
        let rms = norm / Double(actual.count - masked).squareRoot()
        for (index, expected) in samples {
            guard index < values.count else { problems.append("\(name): sample index \(index) past \(shape)"); continue }
            check(Double(values[index]), expected, scale: rms, "element \(index)")
        }
        return problems
    }
}

import Foundation
import MechModels
import XCTest
@testable import MechAnalysis

/// The TransformerLens 4 head-analysis goldens (Tests/golden/analysis/heads/<model>.json, made by
/// make_heads_goldens.py) with the model they describe.
final class HeadGoldens {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("golden")
    static let modelNames = ["gpt2-tiny-a", "gpt2-tiny-b"]

    let name: String
    let json: [String: Any]
    let model: LoadedModel
    let weights: ProcessedWeights

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: HeadGoldens] = [:]

    /// Loaded once per model for the whole test run.
    static func named(_ name: String) throws -> HeadGoldens {
        lock.lock()
        defer { lock.unlock() }
        if let g = loaded[name] { return g }
        let g = try HeadGoldens(name: name)
        loaded[name] = g
        return g
    }

    private init(name: String) throws {
        self.name = name
        let url = Self.root.appendingPathComponent("analysis/heads/\(name).json")
        json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        model = try LoadedModel(folder: Self.root.appendingPathComponent("models/\(name)"))
        weights = ProcessedWeights(model.transformer)
    }

    var layers: Int { json["n_layers"] as! Int }
    var heads: Int { json["n_heads"] as! Int }

    subscript(_ key: String) -> Any? { json[key] }

    /// A nested golden table ([layer][head], [layer][head][layer][head]) flattened row-major.
    static func flat(_ value: Any?) -> [Double] {
        if let number = value as? NSNumber { return [number.doubleValue] }
        return (value as! [Any]).flatMap { flat($0) }
    }

    static func doubles(_ value: Any?) -> [Double] { (value as! [Any]).map { ($0 as! NSNumber).doubleValue } }
    static func ints(_ value: Any?) -> [Int] { (value as! [Any]).map { ($0 as! NSNumber).intValue } }

    /// [[re, im], ...] → eigenvalues.
    static func eigenvalues(_ value: Any?) -> [Eigenvalue] {
        (value as! [[Any]]).map { Eigenvalue(real: ($0[0] as! NSNumber).doubleValue, imaginary: ($0[1] as! NSNumber).doubleValue) }
    }
}

/// |a − b| ≤ relative·|b| + absolute, reported with context.
func assertClose(_ ours: [Double], _ golden: [Double], relative: Double = 1e-4, absolute: Double = 1e-6,
                 _ message: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(ours.count, golden.count, "\(message): count", file: file, line: line)
    for (i, (a, b)) in zip(ours, golden).enumerated() where !(abs(a - b) <= relative * abs(b) + absolute) {
        XCTFail("\(message)[\(i)]: \(a) vs TransformerLens \(b)", file: file, line: line)
        return
    }
}

import Foundation
import MechFormats
import MechTensor
import XCTest

/// The reference files made by Tests/golden/make_goldens.py with Hugging Face `transformers`.
enum GoldenFixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("golden")

    static func modelFolder(_ name: String) -> URL { root.appendingPathComponent("models/\(name)") }

    /// The recorded cases of one model: (case folder, meta).
    static func cases(of model: String) throws -> [(URL, Meta)] {
        let dir = root.appendingPathComponent("cases/\(model)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.compactMap { name in
            let folder = dir.appendingPathComponent(name)
            let metaURL = folder.appendingPathComponent("meta.json")
            guard FileManager.default.fileExists(atPath: metaURL.path) else { return nil }
            return (folder, try JSONDecoder().decode(Meta.self, from: Data(contentsOf: metaURL)))
        }
    }

    struct Meta: Decodable {
        let prompt: String
        let token_ids: [Int]
        let tokens: [String]
        let hooks: [String]
    }
}

/// Compares a computed tensor with a reference: |a − b| ≤ rtol·|b| + atol·max|b| elementwise
/// (the atol term, relative to the tensor's own scale, keeps near-zero entries from failing on
/// float32 rounding); infinities must match exactly (masked attention scores).
func assertClose(_ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-4, atol: Float = 1e-5,
                 _ label: String, file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(label): \(actual.count) elements (\(actual.shape)) vs reference \(expected.count) (\(expected.shape))",
                file: file, line: line)
        return
    }
    let a = actual.pointer, b = expected.pointer
    var scale: Float = 0
    for i in 0..<expected.count where b[i].isFinite { scale = max(scale, abs(b[i])) }
    var worst: Float = 0, worstIndex = -1
    for i in 0..<expected.count {
        if b[i].isInfinite || a[i].isInfinite {
            if a[i] != b[i] { XCTFail("\(label)[\(i)]: \(a[i]) vs \(b[i])", file: file, line: line); return }
            continue
        }
        let excess = abs(a[i] - b[i]) - (rtol * abs(b[i]) + atol * scale)
        if excess > worst || a[i].isNaN { worst = a[i].isNaN ? .infinity : excess; worstIndex = i }
    }
    if worstIndex >= 0 {
        XCTFail("\(label): element \(worstIndex) is \(a[worstIndex]), reference \(b[worstIndex]) (scale \(scale))",
                file: file, line: line)
    }
}

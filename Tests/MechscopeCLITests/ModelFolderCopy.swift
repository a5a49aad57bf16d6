import Foundation
import XCTest

/// A scratch copy of a committed model folder whose F32 tensors a test may rewrite in place
/// (header unchanged; the tensor's bytes replaced), to build broken models from good ones.
struct ModelFolderCopy {
    let url: URL

    /// Copies `source` (a golden model or a sample) into `scratch`/`name`.
    init(of source: URL, in scratch: URL, name: String? = nil) throws {
        url = scratch.appendingPathComponent(name ?? source.lastPathComponent)
        try FileManager.default.copyItem(at: source, to: url)
    }

    static func sample(_ name: String) -> URL { MechscopeProcess.repositoryRoot.appendingPathComponent("samples/\(name)") }

    var path: String { url.path }

    /// Replaces the values of F32 tensor `name` in model.safetensors with `transform(values)`.
    func rewrite(_ name: String, _ transform: ([Float]) -> [Float]) throws {
        let file = url.appendingPathComponent("model.safetensors")
        var data = try Data(contentsOf: file)
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as! [String: Any]
        let entry = try XCTUnwrap(header[name] as? [String: Any], "no tensor \(name)")
        XCTAssertEqual(entry["dtype"] as? String, "F32")
        let offsets = entry["data_offsets"] as! [Int]
        let range = (8 + length + offsets[0])..<(8 + length + offsets[1])
        let values = data.subdata(in: range).withUnsafeBytes { raw in
            (0..<(range.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        let changed = transform(values)
        XCTAssertEqual(changed.count, values.count)
        var bytes = Data()
        for v in changed { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        data.replaceSubrange(range, with: bytes)
        try data.write(to: file)
    }
}

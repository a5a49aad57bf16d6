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

    /// Replaces tensor `name` by an F32 tensor of any shape, rewriting model.safetensors whole
    /// (every other tensor's bytes kept, offsets laid out anew, header padded to 8 bytes).
    func replace(_ name: String, shape: [Int], values: [Float]) throws {
        XCTAssertEqual(shape.reduce(1, *), values.count)
        let file = url.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: file)
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as! [String: Any]
        var tensors: [(name: String, dtype: String, shape: [Int], bytes: Data)] = []
        for key in header.keys.sorted() where key != "__metadata__" {
            let entry = header[key] as! [String: Any]
            let offsets = entry["data_offsets"] as! [Int]
            tensors.append((key, entry["dtype"] as! String, entry["shape"] as! [Int],
                            data.subdata(in: (8 + length + offsets[0])..<(8 + length + offsets[1]))))
        }
        var bytes = Data()
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        tensors.removeAll { $0.name == name }
        tensors.append((name, "F32", shape, bytes))
        var entries: [String: Any] = [:], offset = 0
        for t in tensors {
            entries[t.name] = ["dtype": t.dtype, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.count]]
            offset += t.bytes.count
        }
        var json = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for t in tensors { out.append(t.bytes) }
        try out.write(to: file)
    }

    /// Sets top-level keys of config.json.
    func editConfig(_ changes: [String: Any], removing removed: [String] = []) throws {
        try editJSON("config.json") { config in
            for (k, v) in changes { config[k] = v }
            for k in removed { config[k] = nil }
        }
    }

    /// Rewrites the folder's JSON file `name` (config.json, tokenizer.json) through `edit`.
    func editJSON(_ name: String, _ edit: (inout [String: Any]) -> Void) throws {
        let file = url.appendingPathComponent(name)
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        edit(&object)
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]).write(to: file)
    }
}

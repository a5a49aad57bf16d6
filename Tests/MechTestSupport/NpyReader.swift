import Foundation

/// Minimal .npy reading for checks from the outside (independent of Mechscope's own reader).
public enum NpyReader {
    public static func header(_ url: URL) throws -> String {
        let data = try Data(contentsOf: url)
        let length = Int(data[8]) | Int(data[9]) << 8
        return String(decoding: data[10..<(10 + length)], as: UTF8.self)
    }

    /// The array's shape, from the header's 'shape' tuple.
    public static func shape(_ url: URL) throws -> [Int] {
        let text = try header(url)
        guard let open = text.range(of: "'shape': ("), let close = text[open.upperBound...].firstIndex(of: ")") else { return [] }
        return text[open.upperBound..<close].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    public static func floats(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        let length = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<(10 + length)], as: UTF8.self)
        precondition(header.contains("'<f4'"), "\(url.lastPathComponent): \(header)")
        let body = data[(10 + length)...]
        return body.withUnsafeBytes { raw in (0..<(raw.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
    }
}

import Foundation
import MechFormats

/// Writes an asciinema v2 recording: a header line of JSON, then one event per line,
/// `[seconds, "o", data]` for output, `"i"` for input and `"r"` ("WxH") for a resize. Times are
/// seconds since the recording began, never decreasing.
public final class CastWriter {
    private let sink: (String) -> Void
    private let clock: () -> Double
    private let start: Double
    private var last = 0.0

    /// `sink` receives whole lines (with their newline); `clock` gives seconds (default: wall time).
    public init(width: Int, height: Int, term: String, timestamp: Int = Int(Date().timeIntervalSince1970),
                clock: @escaping () -> Double = { Date().timeIntervalSince1970 }, sink: @escaping (String) -> Void) {
        self.sink = sink
        self.clock = clock
        start = clock()
        sink("{\"version\": 2, \"width\": \(width), \"height\": \(height), \"timestamp\": \(timestamp), "
             + "\"env\": {\"TERM\": \(Self.json(term))}}\n")
    }

    public func output(_ data: String) { event("o", data) }
    public func input(_ data: String) { event("i", data) }
    public func resize(width: Int, height: Int) { event("r", "\(width)x\(height)") }

    private func event(_ code: String, _ data: String) {
        guard !data.isEmpty else { return }
        last = max(last, clock() - start)
        sink("[\(String(format: "%.6f", last)), \"\(code)\", \(Self.json(data))]\n")
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (\u00XX).
    public static func json(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension CastWriter {
    /// Creates (or empties) the recording file, so a path that cannot be written fails before the
    /// screen opens.
    public static func createFile(path: String) throws -> FileHandle {
        guard !path.isEmpty else { throw CastFileError(path: "''", reason: "the path is empty; name a FILE.cast") }
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw CastFileError(path: path, reason: String(cString: strerror(errno)))
        }
        return try FileHandle(forWritingTo: UserPath.url(path))
    }
}

public struct CastFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write the recording \(path): \(reason)" }
}

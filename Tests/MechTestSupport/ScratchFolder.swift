import Foundation

/// A fresh temporary folder for one test, with copies of golden model folders the test may break.
public final class ScratchFolder {
    public let url: URL

    public init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A copy of Tests/golden/models/`model` named `name` inside the folder.
    public func copyOfGoldenModel(_ model: String, as name: String) throws -> URL {
        let dest = url.appendingPathComponent(name)
        try FileManager.default.copyItem(at: GoldenFixtures.modelFolder(model), to: dest)
        return dest
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

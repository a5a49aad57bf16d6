import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and writes that fail in one line naming the path and the reason
/// ("cannot open /x/config.json: permission denied") instead of Foundation's generic messages, and
/// never block: a FIFO, socket or device where a file should be is refused at once.
public enum FileBytes {
    /// The contents of the regular file at `url`.
    public static func read(_ url: URL) throws -> Data {
        let path = url.path
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw FormatError.cannotOpen(path: path, reason: reason(errno)) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw FormatError.cannotOpen(path: path, reason: reason(errno)) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw FormatError.notARegularFile(path: path) }
        var data = Data(count: Int(status.st_size))
        var done = 0
        let total = data.count
        while done < total {
            let n = data.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, total - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw FormatError.cannotOpen(path: path, reason: n == 0 ? "the file shrank while it was read" : reason(errno)) }
            done += n
        }
        return data
    }

    /// Writes `data` to `url` through a hidden temporary file in the same folder, renamed over
    /// `url` once complete: readers never see a partial file, and an interrupted write leaves
    /// none under the final name. On failure the temporary file is removed.
    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let path = url.path
        let folder = url.deletingLastPathComponent().path
        let temporary = folder + "/." + url.lastPathComponent + ".partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FormatError.cannotWrite(path: path, reason: reason(errno)) }
        var written = 0
        let failure: String? = data.withUnsafeBytes { raw -> String? in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return reason(errno) }
                written += n
            }
            return nil
        }
        let closed = close(fd) == 0 ? nil : reason(errno)
        if let problem = failure ?? closed {
            unlink(temporary)
            throw FormatError.cannotWrite(path: path, reason: problem)
        }
        guard rename(temporary, path) == 0 else {
            let problem = errno == EISDIR ? "a folder with that name exists" : reason(errno)
            unlink(temporary)
            throw FormatError.cannotWrite(path: path, reason: problem)
        }
    }

    /// Creates the folder at `url` and any missing parents; an existing folder is fine.
    public static func createFolder(_ url: URL) throws {
        let path = url.path
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw FormatError.cannotCreate(path: path, reason: "a file with that name exists, not a folder")
            }
            return
        }
        let parent = url.deletingLastPathComponent()
        if parent.path != path && !parent.path.isEmpty { try createFolder(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw FormatError.cannotCreate(path: path, reason: reason(errno))
        }
    }

    /// errno as a lower-case phrase ("permission denied"; "no such file" for ENOENT).
    static func reason(_ code: Int32) -> String {
        if code == ENOENT { return "no such file" }
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

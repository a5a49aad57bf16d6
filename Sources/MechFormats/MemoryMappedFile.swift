import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory (PROT_READ, MAP_PRIVATE), so weights are read in place
/// without copying; tensors that borrow the mapping keep this object, and so the mapping, alive.
final class MemoryMappedFile: @unchecked Sendable {
    let url: URL
    /// The mapped bytes (empty for an empty file, which cannot be mapped).
    let bytes: UnsafeRawBufferPointer

    var size: Int { bytes.count }

    /// Maps the file at `url`; the size is taken with `fstat` and nothing is read here.
    init(url: URL) throws {
        self.url = url
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)  // a FIFO would block without O_NONBLOCK
        guard fd >= 0 else { throw FormatError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }

        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw FormatError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw FormatError.notARegularFile(path: path) }

        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw FormatError.cannotOpen(path: path, reason: "mmap failed: " + String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}

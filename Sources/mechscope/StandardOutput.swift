import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Standard output must really be written: a command whose output was lost (a full disk, a closed
/// pipe, `> /dev/full`) fails with one line and a non-zero exit status, instead of exiting 0.
enum StandardOutput {
    /// Flushes standard output; on a failed write prints why to standard error and exits 1.
    static func finishOrFail() {
        if fflush(stdout) == 0 && ferror(stdout) == 0 { return }
        let reason = String(cString: strerror(errno == 0 ? EIO : errno))
        FileHandle.standardError.write(Data("Error: cannot write to standard output: \(reason)\n".utf8))
        ProcessExit.now(1)
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What is at a path, in words, for messages ("a folder", "a FIFO (named pipe)").
enum FileKind {
    static func describe(_ path: String) -> String {
        var status = stat()
        guard lstat(path, &status) == 0 else { return "missing" }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFLNK: return "a symbolic link"
        default: return "a regular file"
        }
    }
}

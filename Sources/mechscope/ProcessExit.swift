import Foundation
import MechFormats
#if canImport(Glibc)
import Glibc
#endif

/// Ends the process without running the C libraries' exit handlers.
///
/// Debian's OpenBLAS 0.3.21 joins its worker threads in a destructor (`gotoblas_quit` →
/// `blas_thread_shutdown_`); after BLAS calls from a second thread (the explorer's compute worker)
/// that join can wait for ever on a thread parked in its condition wait, so a finished command
/// hangs instead of exiting (seen in the demo-playback tmux test: the screen restored, the process
/// stuck in `pthread_join`). Mechscope's own output is flushed first; nothing else needs the handlers.
enum ProcessExit {
    static func now(_ status: Int32) -> Never {
        fflush(nil)
        _exit(status)
    }

    /// What swift-argument-parser's `exit(withError:)` prints (help and `--version` to standard
    /// output, errors to standard error), then ends the process as `now` does.
    static func now(reporting error: Error) -> Never {
        let message = MechscopeCommand.fullMessage(for: error)
        let code = MechscopeCommand.exitCode(for: error)
        if !message.isEmpty {
            if code == .success {
                print(message)
                StandardOutput.finishOrFail()   // `--help > /dev/full` must not exit 0
            } else {
                FileHandle.standardError.write(Data((OneLineText.escapedLines(message) + "\n").utf8))
            }
        }
        now(code.rawValue)
    }
}

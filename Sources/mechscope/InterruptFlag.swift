#if canImport(Glibc)
import Glibc
#endif

/// The signal that asked the process to stop, or 0; written only by the signal handler.
nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

/// SIGINT, SIGTERM and SIGHUP (the SSH session closed) for commands that write files: the handler only records the signal (all a
/// handler may safely do), and the command checks between files, finishes or removes the file in
/// hand, and stops, so an interrupted run leaves complete files only.
enum InterruptFlag {
    static func install() {
        Glibc.signal(SIGINT) { receivedSignal = $0 }
        Glibc.signal(SIGTERM) { receivedSignal = $0 }
        Glibc.signal(SIGHUP) { receivedSignal = $0 }
    }

    /// The signal received, if any.
    static var signal: Int32? { receivedSignal == 0 ? nil : Int32(receivedSignal) }
}

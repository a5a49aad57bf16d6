import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Gives the terminal back on every way out: the modes saved before ncurses started are restored
/// and the alternate screen left, also from a signal handler when a crash or a kill arrives
/// (only async-signal-safe calls there: tcsetattr and write).
enum TerminalRestore {
    nonisolated(unsafe) static var savedModes = termios()
    nonisolated(unsafe) static var haveSavedModes = false
    /// Set by SIGINT, SIGTERM and SIGHUP; the input loop checks it and shuts down in order.
    nonisolated(unsafe) static var stopSignal: Int32 = 0

    /// The terminal's keypad-off sequence (terminfo `rmkx`; `keypad` turned keypad-transmit on and
    /// `endwin` turns it off on a normal exit), copied once where a signal handler can write it.
    nonisolated(unsafe) static var keypadOff: UnsafeMutableBufferPointer<UInt8>?

    /// Keeps `sequence` for `emergencyRestore` (for the rest of the process: a signal may come at any time).
    static func saveKeypadOff(_ sequence: String) {
        let bytes = Array(sequence.utf8)
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        keypadOff = buffer
    }

    static func saveModes() {
        if tcgetattr(STDIN_FILENO, &savedModes) == 0 { haveSavedModes = true }
    }

    static func restoreModes() {
        if haveSavedModes { tcsetattr(STDIN_FILENO, TCSANOW, &savedModes) }
    }

    /// Installs the handlers: stop signals set a flag; crash signals restore the terminal, then
    /// die as they would have (so the exit status and any core dump are unchanged).
    static func installHandlers() {
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { TerminalRestore.stopSignal = $0 }
        }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(sig) { sig in
                TerminalRestore.emergencyRestore()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Turns keypad-transmit off, leaves the alternate screen, shows the cursor, resets colours and
    /// restores the modes.
    static func emergencyRestore() {
        if haveSavedModes { tcsetattr(STDIN_FILENO, TCSANOW, &savedModes) }
        if let keypadOff, keypadOff.count > 0 { _ = write(STDOUT_FILENO, keypadOff.baseAddress, keypadOff.count) }
        let reset: StaticString = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"
        _ = reset.withUTF8Buffer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }
}

import Foundation

/// A one-line "done/total" counter on standard error while a sweep runs, shown only when standard
/// error is a terminal (scripts and pipes get clean output) and erased when the sweep ends.
final class PatchingProgress {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private var lastShown = -1

    init(label: String) { self.label = label }

    /// Progress callback for the sweeps: redraws at most once per percent.
    func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        guard percent != lastShown else { return }
        lastShown = percent
        FileHandle.standardError.write(Data("\r\(label) \(done)/\(total) (\(percent)%)".utf8))
    }

    /// Runs a sweep with this counter as its progress callback, clearing the line however it ends.
    func run<T>(_ sweep: ((Int, Int) -> Void) throws -> T) rethrows -> T {
        defer { finish() }
        return try sweep { self.update(done: $0, total: $1) }
    }

    /// Clears the counter line.
    private func finish() {
        guard enabled, lastShown >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

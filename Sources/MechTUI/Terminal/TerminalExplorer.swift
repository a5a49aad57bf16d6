import Foundation
import MechAnalysis
#if canImport(Glibc)
import Glibc
#endif

/// `mechscope` in a terminal: the input loop. Reads keys (never blocking on compute), feeds them
/// to the core, collects the worker's results, and shows a frame when something changed.
public enum TerminalExplorer {
    public struct Options {
        public var prompt: String
        public var prependBOS: Bool
        public var theme: Theme
        /// Where diagnostics go while the screen is in use (standard error is redirected there).
        public var logPath: String
        public var environment: [String: String]

        public init(prompt: String, prependBOS: Bool, theme: Theme = .default, logPath: String,
                    environment: [String: String] = ProcessInfo.processInfo.environment) {
            self.prompt = prompt
            self.prependBOS = prependBOS
            self.theme = theme
            self.logPath = logPath
            self.environment = environment
        }
    }

    /// The default log file: `$MECHSCOPE_LOG`, else `$TMPDIR/mechscope-explorer.log` (or /tmp).
    public static func defaultLogPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["MECHSCOPE_LOG"], !path.isEmpty { return path }
        let dir = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return (dir as NSString).appendingPathComponent("mechscope-explorer.log")
    }

    /// Runs the explorer until the user quits or a stop signal arrives; the terminal is restored
    /// on every way out. Returns the exit status (0, or 128 + the signal).
    public static func run(session: AnalysisSession, options: Options, startupMessages: [String] = []) throws -> Int32 {
        let screen = try NcursesScreen(environment: options.environment)
        TerminalRestore.installHandlers()
        let log = LogRedirect(path: options.logPath)
        defer {
            screen.shutdown()
            log.restore()
        }
        for line in startupMessages { log.write(line) }

        let size = screen.size
        let depth = ColorDepth.detect(environment: options.environment, terminalColors: screen.colors)
        let state = ExplorerState(width: size.width, height: size.height,
                                  model: ModelSummary(name: session.model.folder.lastPathComponent, config: session.config),
                                  vocabulary: ModelVocabulary(model: session.model), prompt: options.prompt,
                                  prependBOS: options.prependBOS)
        let worker = ThreadedComputeWorker(runner: AnalysisRunner(session: session))
        let runtime = ExplorerRuntime(explorer: Explorer(state: state), palette: Palette(theme: options.theme, depth: depth),
                                      worker: worker)
        runtime.start()
        if !startupMessages.isEmpty {
            runtime.notify(StatusMessage(startupMessages[0] + " (see \(options.logPath))", isError: true))
        }
        var lastMemoryCheck = 0.0
        while !runtime.quitRequested, TerminalRestore.stopSignal == 0 {
            let busy = worker.isBusy || runtime.state.runPending || !runtime.state.results.pending.isEmpty
            let events = screen.read(timeout: busy ? 80 : 400)
            for event in events {
                if case .resize = event { screen.invalidate() }
                runtime.send(event)
            }
            if busy && events.isEmpty { runtime.send(.tick) }
            runtime.collect()
            let now = Date().timeIntervalSince1970
            if now - lastMemoryCheck > 1 {
                runtime.observe(residentBytes: ResidentMemory.bytes())
                lastMemoryCheck = now
            }
            if runtime.renderIfNeeded() {
                screen.present(runtime.renderer.grid, cursor: runtime.renderer.cursorPosition(runtime.state))
            }
        }
        let signal = TerminalRestore.stopSignal
        return signal == 0 ? 0 : 128 + signal
    }
}

/// The process's resident memory, from /proc/self/statm.
public enum ResidentMemory {
    public static func bytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// Sends standard error to a log file while the screen is in use, so nothing printed by a
/// library can corrupt it; restored on exit.
final class LogRedirect {
    private var savedStderr: Int32 = -1
    private var fd: Int32 = -1

    init(path: String) {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { return }
        savedStderr = dup(STDERR_FILENO)
        dup2(fd, STDERR_FILENO)
    }

    func write(_ line: String) {
        guard fd >= 0 else { return }
        let data = Array((line + "\n").utf8)
        _ = data.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    func restore() {
        guard savedStderr >= 0 else { return }
        dup2(savedStderr, STDERR_FILENO)
        close(savedStderr)
        close(fd)
        savedStderr = -1
    }
}

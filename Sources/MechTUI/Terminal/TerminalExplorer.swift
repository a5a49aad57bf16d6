import Foundation
import MechAnalysis
import MechModels
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
        /// Where `:theme` finds themes by name.
        public var themes: ThemeCatalog = ThemeCatalog(folder: nil)
        /// Open in the presentation layout (`--present`).
        public var presenting = false
        /// The page to open on and what it shows (`mechscope_story` in config.json).
        public var story: ModelStory?
        /// Where diagnostics go while the screen is in use (standard error is redirected there).
        public var logPath: String
        public var environment: [String: String]
        /// A demo to play, and how.
        public var demo: Demo?
        /// Where `--record` writes an asciinema v2 recording.
        public var recordPath: String?

        public struct Demo {
            public var script: DemoScript
            public var pace: Double
            public var captions: Bool
            /// Quit when the script has played (and its compute arrived), instead of staying open.
            public var exitAtEnd: Bool

            public init(script: DemoScript, pace: Double = 0.6, captions: Bool = false, exitAtEnd: Bool = false) {
                self.script = script
                self.pace = pace
                self.captions = captions
                self.exitAtEnd = exitAtEnd
            }
        }

        public init(prompt: String, prependBOS: Bool, theme: Theme = .dark, logPath: String,
                    environment: [String: String] = ProcessInfo.processInfo.environment, demo: Demo? = nil, recordPath: String? = nil) {
            self.demo = demo
            self.recordPath = recordPath
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
        try run(options: options, startupMessages: startupMessages,
                worker: ThreadedComputeWorker(runner: AnalysisRunner(session: session))) { width, height in
            ExplorerState(width: width, height: height,
                          model: ModelSummary(name: session.model.name, config: session.config),
                          vocabulary: ModelVocabulary(model: session.model), prompt: options.prompt,
                          prependBOS: options.prependBOS)
        }
    }

    /// A toy superposition model: its features page, nothing to compute in the background.
    public static func run(toy: ToySuperpositionModel, options: Options, startupMessages: [String] = []) throws -> Int32 {
        try run(options: options, startupMessages: startupMessages,
                worker: IdleComputeWorker(reason: "a toy superposition model runs no prompts")) { width, height in
            ExplorerState(toy: toy, width: width, height: height)
        }
    }

    private static func run(options: Options, startupMessages: [String], worker: ComputeWorker,
                            makeState: (Int, Int) -> ExplorerState) throws -> Int32 {
        let castFile = try options.recordPath.map { try CastWriter.createFile(path: $0) }
        let screen = try NcursesScreen(environment: options.environment)
        TerminalRestore.installHandlers()
        let log = LogRedirect(path: options.logPath)
        defer {
            screen.shutdown()
            log.restore()
        }
        for line in startupMessages { log.write(line) }

        let size = screen.size
        let recorder = castFile.map { file in
            CastRecorder(writer: CastWriter(width: size.width, height: size.height, term: options.environment["TERM"] ?? "") {
                file.write(Data($0.utf8))
            })
        }
        let depth = ColorDepth.detect(environment: options.environment, terminalColors: screen.colors)
        var state = makeState(size.width, size.height)
        state.presenting = options.presenting
        if let story = options.story { state.open(story) }
        let runtime = ExplorerRuntime(explorer: Explorer(state: state), palette: Palette(theme: options.theme, depth: depth),
                                      worker: worker, themes: options.themes)
        runtime.keyObserver = recorder.map { r in { r.key($0) } }
        runtime.start()
        if !startupMessages.isEmpty {
            runtime.notify(StatusMessage(startupMessages[0] + " (see \(options.logPath))", isError: true))
        }
        func present() {
            let cursor = runtime.renderer.cursorPosition(runtime.state)
            screen.present(runtime.renderer.grid, cursor: cursor)
            recorder?.present(runtime.renderer.grid, cursor: cursor)
        }
        var lastMemoryCheck = 0.0
        let player = options.demo.map { DemoPlayer(script: $0.script, pace: $0.pace, captions: $0.captions) }
        while !runtime.quitRequested, TerminalRestore.stopSignal == 0 {
            let busy = runtime.isComputing
            let playing = player.map { !$0.finished && !$0.paused } ?? false
            let events = screen.read(timeout: playing ? 15 : busy ? 80 : 400)
            for event in events {
                if case .resize(let w, let h) = event {
                    screen.invalidate()
                    recorder?.resize(width: w, height: h)
                }
                if let player, !player.finished, case .key(let key) = event {
                    // While a demo plays, q quits and any other key pauses or resumes it. q goes through
                    // the core as after the demo (the caption clears; the last frame is drawn and recorded),
                    // even when only the script's closing wait was left.
                    if key == .char("q") || key == .ctrl("c") { runtime.send(event); runtime.requestQuit(); break }
                    recorder?.key(key)
                    player.togglePause(now: Date().timeIntervalSince1970)
                    runtime.notify(StatusMessage(player.paused ? "demo paused: any key resumes, q quits" : "demo resumed"))
                    continue
                }
                runtime.send(event)
            }
            if let player {
                runtime.collect()
                player.advance(runtime, now: Date().timeIntervalSince1970)
                if player.finished, options.demo?.exitAtEnd == true, !runtime.isComputing {
                    runtime.collect()
                    if runtime.renderIfNeeded() { present() }
                    runtime.requestQuit()
                }
            }
            if busy && events.isEmpty { runtime.send(.tick) }
            runtime.collect()
            let now = Date().timeIntervalSince1970
            if now - lastMemoryCheck > 1 {
                runtime.observe(residentBytes: ResidentMemory.bytes())
                lastMemoryCheck = now
            }
            if runtime.renderIfNeeded() { present() }
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

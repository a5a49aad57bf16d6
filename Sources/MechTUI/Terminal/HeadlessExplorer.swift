import Foundation
import MechAnalysis
import MechModels

/// The explorer without a terminal: the same core, views and runtime as `mechscope`, drawing into
/// a cell grid that tests read, with compute run inline so every key's result is ready at once.
public final class HeadlessExplorer {
    public let runtime: ExplorerRuntime
    /// Files `:export` wrote, by path (kept in memory; also written to disk when `writingFiles`).
    public private(set) var exports: [String: String] = [:]

    public convenience init(session: AnalysisSession, prompt: String, prependBOS: Bool? = nil, width: Int = 120, height: Int = 40,
                depth: ColorDepth = .palette256, theme: Theme = .dark, themes: ThemeCatalog = ThemeCatalog(folder: nil),
                presenting: Bool = false, story: ModelStory? = nil, writingFiles: Bool = false) {
        var state = ExplorerState(width: width, height: height,
                                  model: ModelSummary(name: session.model.name, config: session.config),
                                  vocabulary: ModelVocabulary(model: session.model), prompt: prompt,
                                  prependBOS: prependBOS ?? session.defaultPrependBOS)
        state.presenting = presenting
        if let story { state.open(story) }
        self.init(state: state, worker: InlineComputeWorker(runner: AnalysisRunner(session: session)),
                  palette: Palette(theme: theme, depth: depth), themes: themes, writingFiles: writingFiles)
    }

    /// A toy superposition model: it opens on its features page.
    public convenience init(toy: ToySuperpositionModel, width: Int = 120, height: Int = 40, depth: ColorDepth = .palette256,
                            theme: Theme = .dark, themes: ThemeCatalog = ThemeCatalog(folder: nil), presenting: Bool = false,
                            writingFiles: Bool = false) {
        var state = ExplorerState(toy: toy, width: width, height: height)
        state.presenting = presenting
        self.init(state: state, worker: IdleComputeWorker(reason: "a toy superposition model runs no prompts"),
                  palette: Palette(theme: theme, depth: depth), themes: themes, writingFiles: writingFiles)
    }

    private init(state: ExplorerState, worker: ComputeWorker, palette: Palette, themes: ThemeCatalog, writingFiles: Bool) {
        let box = ExportBox()
        runtime = ExplorerRuntime(explorer: Explorer(state: state), palette: palette, worker: worker, themes: themes,
                                  writeFile: { path, text in
                                      if writingFiles { try ExplorerRuntime.writeTextFile(path, text) }
                                      box.files[path] = text
                                  })
        exportBox = box
        runtime.start()
        settle()
    }

    private let exportBox: ExportBox
    private final class ExportBox { var files: [String: String] = [:] }

    public var state: ExplorerState { runtime.state }
    public var grid: CellGrid { runtime.renderer.grid }
    /// The screen as text, one line per row.
    public var screen: String { grid.text }

    /// Sends keys, settling after each.
    public func press(_ keys: Key...) { for k in keys { send(.key(k)) } }

    /// Types text as keys: each character a key, "\n" Enter.
    public func type(_ text: String) {
        for c in text { send(.key(c == "\n" ? .enter : .char(c))) }
    }

    /// Runs a `:` command as a user types it.
    public func command(_ line: String) {
        type(":" + line)
        press(.enter)
    }

    public func resize(width: Int, height: Int) { send(.resize(width: width, height: height)) }

    public func send(_ event: InputEvent) {
        runtime.send(event)
        settle()
    }

    /// Feeds finished compute back into the core until nothing more arrives, then draws.
    public func settle() {
        var rounds = 0
        while runtime.collect(), rounds < 1000 { rounds += 1 }
        runtime.renderIfNeeded()
        exports = exportBox.files
    }

    /// Plays a demo script to its end through a `DemoPlayer` (pauses take no time here).
    public func play(_ script: DemoScript, captions: Bool = false) {
        let player = DemoPlayer(script: script, pace: 0, captions: captions)
        while !player.finished && !runtime.quitRequested {
            player.advance(runtime, now: .infinity)
            settle()
        }
    }

    /// The text of `:export FILE.txt` for the current view (drawn in monochrome: shades, no colour).
    public var mainText: String { runtime.renderer.mainText(state) }
    /// The whole screen as plain text, drawn the same way as `mainText`.
    public var plainScreen: String { runtime.renderer.plainText(state) }
}

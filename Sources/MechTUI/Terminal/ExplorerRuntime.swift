import Foundation
import MechFormats
import MechAnalysis

/// Connects the pure core to a worker and a renderer: carries out the core's effects, feeds it the
/// worker's outputs, and keeps the frame up to date. Shared by the terminal loop and the headless
/// explorer, so both run exactly the same code between a key and a frame.
public final class ExplorerRuntime {
    public private(set) var explorer: Explorer
    public private(set) var renderer: ExplorerRenderer
    public let worker: ComputeWorker
    /// Regions that need drawing before the next frame is shown.
    public private(set) var dirty: Set<Region> = Region.all
    public private(set) var quitRequested = false
    /// Writes `:export` files (a closure so tests can capture them).
    private let writeFile: (String, String) throws -> Void

    /// Where `:theme` finds themes by name.
    public let themes: ThemeCatalog

    public init(explorer: Explorer, palette: Palette, worker: ComputeWorker, themes: ThemeCatalog = ThemeCatalog(folder: nil),
                writeFile: @escaping (String, String) throws -> Void = ExplorerRuntime.writeTextFile) {
        var explorer = explorer
        explorer.state.themeName = palette.theme.name
        explorer.state.themeNames = themes.names
        self.explorer = explorer
        self.worker = worker
        self.themes = themes
        self.writeFile = writeFile
        renderer = ExplorerRenderer(width: explorer.state.width, height: explorer.state.height, palette: palette,
                                    keymap: explorer.keymap)
    }

    public var state: ExplorerState { explorer.state }

    /// Whether compute is still on its way (a prompt run or an analysis the view waits for).
    public var isComputing: Bool {
        worker.isBusy || explorer.state.runPending || !explorer.state.results.pending.isEmpty
            || explorer.state.corruptedPending || !explorer.state.corruptedResults.pending.isEmpty
    }

    public func start() { apply(explorer.start()) }

    /// Ends the session as `q` would, from outside the keymap (a demo's viewer pressing q).
    public func requestQuit() { quitRequested = true }

    /// Sees every key the core receives, typed or played (`--record` writes them as input events).
    public var keyObserver: ((Key) -> Void)?

    public func send(_ event: InputEvent) {
        if case .key(let key) = event { keyObserver?(key) }
        apply(explorer.handle(event))
    }

    /// Takes in whatever the worker finished; returns whether anything arrived.
    @discardableResult
    public func collect() -> Bool {
        let outputs = worker.drain()
        for output in outputs { apply(explorer.receive(output)) }
        return !outputs.isEmpty
    }

    /// Shows a message in the status line.
    public func notify(_ message: StatusMessage) { apply(explorer.notify(message)) }

    public func observe(residentBytes: Int?) {
        guard residentBytes != explorer.state.residentBytes else { return }
        explorer.observe(residentBytes: residentBytes)
        dirty.insert(.status)
    }

    /// Draws the dirty regions; returns whether anything was drawn.
    @discardableResult
    public func renderIfNeeded() -> Bool {
        guard !dirty.isEmpty else { return false }
        renderer.render(explorer.state, regions: dirty)
        dirty = []
        return true
    }

    public func apply(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .redraw(let regions): dirty.formUnion(regions)
            case .runPrompt(let generation, let prompt, let bos, let ablations):
                worker.runPrompt(generation: generation, prompt: prompt, prependBOS: bos, ablations: ablations)
            case .compute(let request, let generation):
                let on = request.unwrapped.onCorrupted ? explorer.state.corruptedRun : explorer.state.run
                guard let run = on, run.generation == generation else { continue }
                worker.compute(request, generation: generation, on: run)
            case .runCorrupted(let generation, let prompt, let bos, let ablations):
                worker.runCorrupted(generation: generation, prompt: prompt, prependBOS: bos, ablations: ablations)
            case .cancel(let request):
                worker.cancel(request)
            case .export(let path):
                renderer.render(explorer.state, regions: [.main])
                do {
                    try writeFile(path, exportText(path: path) + "\n")
                    apply(explorer.notify(StatusMessage("wrote \(explorer.state.page.title) to \(path)")))
                } catch {
                    apply(explorer.notify(StatusMessage("cannot write \(path): \(Self.reason(error))", isError: true)))
                }
            case .setTheme(let name):
                do {
                    let loaded = try themes.load(name)
                    renderer.setPalette(renderer.palette.with(theme: loaded.theme))
                    apply(explorer.themeChanged(to: loaded.theme.name, warnings: loaded.warnings))
                } catch {
                    apply(explorer.notify(StatusMessage(":theme \(error)", isError: true)))
                }
            case .quit: quitRequested = true
            }
        }
    }

    /// The main view as `:export` writes it, by the file's extension: `.ans` ANSI-coloured text,
    /// `.svg` a picture in the theme's colours, anything else plain text.
    public func exportText(path: String) -> String {
        let main = explorer.state.layout.main
        switch (path as NSString).pathExtension.lowercased() {
        case "ans": return AnsiText.text(renderer.grid, in: main)
        case "svg": return SvgText.document(renderer.grid, in: main, theme: renderer.palette.theme)
        default: return renderer.mainText(explorer.state)
        }
    }

    public static func writeTextFile(_ path: String, _ text: String) throws {
        try FileBytes.writeAtomically(Data(text.utf8), to: UserPath.url(typedAtPrompt: path))
    }

    static func reason(_ error: Error) -> String {
        if case FormatError.cannotWrite(_, let reason) = error { return reason }   // FileBytes: "no such file", …
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}

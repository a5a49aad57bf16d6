/// Draws the explorer's state into its cell grid, one region at a time: only the regions an
/// effect names are drawn again, and the backend then copies out only the cells that changed.
public struct ExplorerRenderer {
    public private(set) var canvas: Canvas
    public let keymap: Keymap
    /// The layout of the last frame drawn.
    private var lastLayout: ExplorerState.Layout?

    public init(width: Int, height: Int, palette: Palette, keymap: Keymap = .standard) {
        canvas = Canvas(grid: CellGrid(width: width, height: height), palette: palette)
        self.keymap = keymap
    }

    public var grid: CellGrid { canvas.grid }
    public var palette: Palette { canvas.palette }

    /// Draws `regions` of `state` (everything when the size changed).
    public mutating func render(_ state: ExplorerState, regions: Set<Region> = Region.all) {
        var regions = regions
        if canvas.grid.width != state.width || canvas.grid.height != state.height {
            canvas = Canvas(grid: CellGrid(width: state.width, height: state.height), palette: canvas.palette)
            regions = Region.all
        }
        canvas.rect = canvas.grid.bounds
        if state.isTooSmall {
            TooSmallNotice.render(state, into: &canvas)
            lastLayout = nil
            return
        }
        let layout = state.layout, keymap = self.keymap
        if layout != lastLayout {             // panes moved (:present): nothing of the old frame stays
            canvas.redraw(canvas.grid.bounds) { _ in }
            regions = Region.all
            lastLayout = layout
        }
        if regions.contains(.title) { canvas.redraw(layout.title) { TitleBar.render(state, into: &$0) } }
        if regions.contains(.navigator), layout.navigator.width > 0 {
            canvas.redraw(layout.navigator) { NavigatorView.render(state, into: &$0) }
            canvas.redraw(Rect(x: layout.navigator.maxX, y: layout.navigator.y, width: 1, height: layout.navigator.height)) { c in
                for y in 0..<c.height { c.put("│", x: 0, y: y, style: c.palette.dim) }
            }
        }
        if regions.contains(.main) { canvas.redraw(layout.main) { MainArea.render(state, keymap: keymap, into: &$0) } }
        if regions.contains(.status) { canvas.redraw(layout.status) { StatusBar.render(state, keymap: keymap, into: &$0) } }
    }

    /// Draws with another palette from now on (`:theme`); the next render must cover every region.
    public mutating func setPalette(_ palette: Palette) {
        canvas = Canvas(grid: canvas.grid, palette: palette)
    }

    /// The main view alone as plain text (what `:export FILE.txt` and `mechscope snapshot` write).
    public func mainText(_ state: ExplorerState) -> String { plainText(state, in: state.layout.main) }

    /// `state` as plain text, drawn afresh in monochrome: heat carries shade characters (` ░▒▓█`,
    /// braille dots ` ⣀⣤⣶⣿` for negative values on a diverging scale) whatever colours this renderer
    /// draws with, since text keeps no colour. `rect` nil: the screen.
    public func plainText(_ state: ExplorerState, in rect: Rect? = nil) -> String {
        var plain = ExplorerRenderer(width: state.width, height: state.height,
                                     palette: Palette(theme: palette.theme, depth: .monochrome), keymap: keymap)
        plain.render(state)
        return rect.map { plain.grid.text(in: $0) } ?? plain.grid.text
    }

    /// Where the terminal cursor belongs (in the prompt or command line), if anywhere.
    public func cursorPosition(_ state: ExplorerState) -> (x: Int, y: Int)? {
        guard !state.isTooSmall else { return nil }
        switch state.mode {
        case .prompt(let editor):
            let main = state.layout.main
            let column = editor.visible(columns: main.width - PromptEditorView.labelWidth).cursorColumn
            return (main.x + PromptEditorView.labelWidth + column, main.y + 1)
        case .command(let editor):
            return (1 + editor.visible(columns: state.width - 1).cursorColumn, state.height - 1)
        default: return nil
        }
    }
}

/// The main area: the help overlay, the prompt editor above the page, or the page itself.
enum MainArea {
    static func render(_ state: ExplorerState, keymap: Keymap, into canvas: inout Canvas) {
        if case .help(let scroll) = state.mode {
            HelpView.render(state, keymap: keymap, scroll: scroll, into: &canvas)
            return
        }
        var pageRect = Rect(x: 0, y: 0, width: canvas.width, height: canvas.height)
        if case .prompt(let editor) = state.mode {
            PromptEditorView.render(editor, corrupted: state.editingCorrupted, into: &canvas)
            pageRect = pageRect.droppingTop(PromptEditorView.height)
        }
        let view = PageViews.view(for: state.page, model: state.model)
        if !view.needsRun {
            canvas.within(pageRect) { view.render(state, into: &$0) }
            return
        }
        if let error = state.runError, state.run == nil {
            canvas.within(pageRect) { c in
                c.put("The prompt could not run:", x: 1, y: 1, style: c.palette.warning)
                c.put(error, x: 1, y: 2, style: c.palette.text)
                c.put("p edits the prompt; q quits.", x: 1, y: 4, style: c.palette.dim)
            }
            return
        }
        guard state.run != nil else {
            canvas.within(pageRect) { c in
                c.put("\(Spinner.frame(state.spinnerFrame)) running the prompt…", x: 1, y: 1, style: c.palette.dim)
            }
            return
        }
        let shown = state.displayed       // the corrupted run, on a page comparing the two
        canvas.within(pageRect) { PageViews.view(for: state.page, model: state.model).render(shown, into: &$0) }
    }
}

/// The spinner shown while something computes.
public enum Spinner {
    static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    public static func frame(_ n: Int) -> String { frames[((n % frames.count) + frames.count) % frames.count] }
}

/// Below the minimum size: one clear notice instead of a broken layout.
enum TooSmallNotice {
    static func render(_ state: ExplorerState, into canvas: inout Canvas) {
        canvas.clear()
        let lines = ["terminal too small: \(state.width)×\(state.height)",
                     "mechscope needs at least \(ExplorerState.minimumWidth)×\(ExplorerState.minimumHeight)",
                     "(q quits)"]
        for (i, line) in lines.enumerated() {
            let y = max(0, state.height / 2 - 1) + i
            guard y < state.height else { break }
            let x = max(0, (state.width - DisplayWidth.of(line)) / 2)
            canvas.put(line, x: x, y: y, style: i == 0 ? canvas.palette.warning : canvas.palette.text)
        }
    }
}

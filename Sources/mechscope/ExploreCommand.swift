import ArgumentParser
import Foundation
import MechAnalysis
import MechModels
import MechTUI

/// `mechscope [explore] [MODEL]`: the terminal explorer (the default command).
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Browse a model's layers, heads, neurons and residual stream in the terminal (the default).",
        discussion: """
        Keys: ? shows every key of the current view; : opens the command line (:head L1H3, :lens, :q). \
        The prompt runs with the model's BOS policy (config.json's prepend_bos; otherwise as its tokenizer \
        adds BOS, as transformers' tokenizer(prompt) does); --prepend-bos / --no-prepend-bos or B choose. \
        While the explorer runs, diagnostics go to a log file: $MECHSCOPE_LOG, else \
        $TMPDIR/mechscope-explorer.log (/tmp/mechscope-explorer.log). NO_COLOR turns colour off \
        (heatmaps then use shade characters, and braille dots for negative values on a diverging scale).
        """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Prompt text (default: the model folder's first ready prompt).")
    var prompt: String?
    @OptionGroup var bosOptions: BOSOptions
    @Option(help: "A theme name from themes/ (dark, light, high-contrast, monochrome, projector) or a theme file's path.")
    var theme: String = "dark"
    @Flag(help: "Open in the presentation layout for projectors (larger heatmap cells, no navigator, bold labels; :present toggles).")
    var present = false
    @Option(help: "Where diagnostics go while the explorer runs (default: $MECHSCOPE_LOG or $TMPDIR/mechscope-explorer.log).")
    var log: String?
    @Option(help: "Play a keystroke script (see samples/demos/ and the README's script format).")
    var play: String?
    @Option(help: "Seconds between the script's steps when playing.")
    var pace: Double = 0.6
    @Flag(help: "Show each key the script presses in the status line.")
    var captions = false
    @Flag(help: "Quit when the script has played, instead of staying open.")
    var exitAtEnd = false

    @Option(help: "Record the session as an asciinema v2 recording (FILE.cast): every frame and every key.")
    var record: String?

    /// The prompt a model without prompts.txt opens on (the indirect-object example of TransformerLens's demos).
    static let defaultPrompt = "When Mary and John went to the store, John gave a drink to"

    func validate() throws {
        guard pace.isFinite, pace >= 0 else { throw ValidationError("--pace must be a number of seconds ≥ 0") }
        if play == nil, captions || exitAtEnd { throw ValidationError("--captions and --exit-at-end go with --play FILE") }
    }

    func run() throws {
        // A malformed script fails here, in one line, before the model loads or the screen opens.
        let demo = try play.map { path -> TerminalExplorer.Options.Demo in
            do {
                return .init(script: try DemoScript.load(path: path), pace: pace, captions: captions, exitAtEnd: exitAtEnd)
            } catch let error as DemoScriptError {
                throw CLIError(error.description)
            }
        }
        let opened = try modelOptions.openAny()
        let story = try StoryLocator.read(opened)
        let (loaded, warnings) = try ThemeLocator.load(theme)
        var options = TerminalExplorer.Options(prompt: "", prependBOS: false, theme: loaded,
                                               logPath: log ?? TerminalExplorer.defaultLogPath(), demo: demo, recordPath: record)
        options.themes = ThemeLocator.catalog
        options.presenting = present
        options.story = story
        let status: Int32
        switch opened {
        case .toySuperposition(let toy):
            // A toy model reads feature vectors, not prompts: it opens on its features page.
            guard prompt == nil else {
                throw CLIError("\(toy.folder.path) is a toy superposition model: it takes no --prompt "
                               + "('mechscope run MODEL --prompt \"1 0 0 …\"' runs one input)")
            }
            status = try TerminalExplorer.run(toy: toy, options: options, startupMessages: warnings)
        case .transformer(let model):
            let session = AnalysisSession(model: model)
            var messages = warnings
            do {
                options.prompt = try PromptOptions(prompt: prompt).text(for: model)
            } catch let error as InputError {
                // Any model the commands open is explorable: without --prompt or a prompts.txt line it opens
                // on TransformerLens's IOI example, and says so.
                guard case .noPrompts = error else { throw error }
                options.prompt = Self.defaultPrompt
                messages.insert("no --prompt and no prompts.txt: showing a default prompt (p edits it)", at: 0)
            }
            options.prependBOS = model.bosDecision(bosOptions.choice).addsBOS
            _ = try session.tokenize(options.prompt, prependBOS: options.prependBOS)  // a prompt that cannot run fails here
            status = try TerminalExplorer.run(session: session, options: options, startupMessages: messages)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

extension PromptOptions {
    init(prompt: String?) {
        self.init()
        self.prompt = prompt
    }
}

/// Finds a theme by name in the shipped themes/ folder, or reads a theme file's path; a theme
/// that cannot be used fails in one line naming the file and line.
enum ThemeLocator {
    static var catalog: ThemeCatalog { ThemeCatalog(folder: folder()) }

    static func load(_ nameOrPath: String) throws -> (Theme, [String]) {
        do {
            let loaded = try catalog.load(nameOrPath)
            return (loaded.theme, loaded.warnings)
        } catch let error as ThemeFileError {
            throw CLIError(error.description)
        }
    }

    /// The themes/ folder shipped beside the samples.
    static func folder() -> URL? {
        if let env = ProcessInfo.processInfo.environment["MECHSCOPE_THEMES"] { return URL(fileURLWithPath: env) }
        guard let samples = BundledSamples.folder(named: BundledSamples.defaultSample) else { return nil }
        let themes = samples.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes")
        return FileManager.default.fileExists(atPath: themes.path) ? themes : nil
    }
}

/// The page a model folder opens on (`mechscope_story` in its config.json), or a one-line error.
enum StoryLocator {
    static func read(_ model: AnyModel) throws -> ModelStory {
        if case .toySuperposition = model { return try read(folder: model.folder, isToy: true) }
        return try read(folder: model.folder, isToy: false)
    }

    static func read(folder: URL, isToy: Bool) throws -> ModelStory {
        do { return try ModelStory.read(folder: folder, isToy: isToy) } catch let error as ModelStoryError {
            throw CLIError(error.description)
        }
    }
}

import ArgumentParser
import Foundation
import MechAnalysis
import MechModels
import MechTUI

/// `mechscope snapshot`: explorer views as plain text, for notes, papers and slides (what `:export`
/// writes from inside the explorer), and `mechscope keys`: every key and command.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print explorer views as plain text (as :export writes them), one per --view command.",
        discussion: """
        The model opens on its story page (config.json's mechscope_story). Each --view is an explorer command \
        without its colon (story: the page the model opens on; atlas, "head L1H3", "neuron L0N5", "layer 1", \
        lens, logits, dla, embed, "metric induction-rand", "answer ' Paris'", ...), run in order as if typed; \
        after each, the main view (with --full the whole screen) is printed under a '== :COMMAND' line, as \
        plain text: heatmaps in shade characters, negative values on a diverging scale in braille dots. Runs \
        headless, compute inline.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Prompt text (default: the model folder's first ready prompt).")
    var prompt: String?
    @OptionGroup var bosOptions: BOSOptions
    @Option(name: .customLong("view"), parsing: .unconditionalSingleValue, help: "An explorer command to run, then print the view (repeatable; default: story, the page the model opens on).")
    var views: [String] = ["story"]
    @Option(help: "Screen width.") var width = 100
    @Option(help: "Screen height.") var height = 30
    @Flag(help: "Print the whole screen (title, navigator, status line), not only the main view.") var full = false
    @Flag(help: "Use the presentation layout (as --present in the explorer).") var present = false

    func validate() throws {
        try ScreenSizeLimits.validate(width: width, height: height)
    }

    func run() throws {
        let opened = try modelOptions.openAny()
        let story = try StoryLocator.read(opened)
        let explorer: HeadlessExplorer
        var forward: (model: LoadedModel, tokens: [Int])?
        switch opened {
        case .toySuperposition(let toy):
            explorer = HeadlessExplorer(toy: toy, width: width, height: height, presenting: present, writingFiles: true)
        case .transformer(let model):
            let session = AnalysisSession(model: model)
            let text = try PromptOptions(prompt: prompt).text(for: model)
            let bos = model.bosDecision(bosOptions.choice).addsBOS
            forward = (model, try session.tokenize(text, prependBOS: bos))
            explorer = HeadlessExplorer(session: session, prompt: text, prependBOS: bos, width: width, height: height,
                                        presenting: present, story: story, writingFiles: true)
        }
        for (i, view) in views.enumerated() {
            if view != "story" { explorer.command(view) }
            if let message = explorer.state.message, message.isError {
                throw CLIError("--view '\(view)': \(message.text)")
            }
            if i > 0 { print("") }
            print("== :\(view)")
            print(full ? explorer.plainScreen : explorer.mainText)
        }
        // The views are printed as the explorer shows them; a NaN weight then fails in one line naming
        // the hook where non-finite values first appear, as every command does.
        if case .toySuperposition(let toy) = opened, let tensor = toy.firstNonFiniteTensor {
            throw ModelError.nonFiniteValues(hook: tensor, folder: toy.folder.path)
        }
        if let forward, let hook = try NonFiniteValues.firstHook(forward.model.transformer, tokens: forward.tokens) {
            throw ModelError.nonFiniteValues(hook: hook, folder: forward.model.folder.path)
        }
    }
}

/// `mechscope keys`: the keymap and commands as Markdown, from the table that drives input.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Print every key and : command of the explorer as a Markdown table.")

    func run() throws { print(KeymapTable.markdown()) }
}

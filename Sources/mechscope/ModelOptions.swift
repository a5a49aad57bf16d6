import ArgumentParser
import Foundation
import MechFormats
import MechAnalysis
import MechModels

/// The MODEL argument every command shares; defaults to the bundled induction sample.
struct ModelOptions: ParsableArguments {
    @Argument(help: "Model folder or Hugging Face hub id in the local cache (default: the induction sample).")
    var model: String?

    /// Opens the transformer named, or the bundled sample when none was named.
    func open() throws -> LoadedModel {
        switch try openAny() {
        case .transformer(let model): return model
        case .toySuperposition(let toy):
            throw CLIError("\(toy.folder.path) is a toy superposition model, not a transformer: "
                           + "use 'mechscope info', 'mechscope run' or 'mechscope features' on it")
        }
    }

    /// Opens whatever kind of model the folder holds.
    func openAny() throws -> AnyModel {
        try AnyModel.open(try resolvedSpec())
    }

    func resolvedSpec() throws -> String {
        if let model { return model }
        guard let sample = BundledSamples.folder(named: BundledSamples.defaultSample) else {
            throw CLIError("no MODEL given and the bundled sample '\(BundledSamples.defaultSample)' was not found "
                                  + "(looked in $MECHSCOPE_SAMPLES, beside the executable and in ./samples)")
        }
        return sample.path
    }
}

/// The prompt options shared by commands that run the model.
struct PromptOptions: ParsableArguments {
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Prompt text (default: the sample's first ready prompt).")
    var prompt: String?

    @OptionGroup var bosOptions: BOSOptions

    /// The BOS choice of the flags (`.modelDefault` without either).
    var bos: BOSChoice { bosOptions.choice }

    /// The prompt given, or the model folder's first ready prompt (prompts.txt).
    func text(for model: LoadedModel) throws -> String { try text(forFolder: model.folder) }

    /// The prompt's token ids as the model's tokenizer gives them, BOS first or not as the flags and
    /// the model's policy resolve.
    func tokens(for model: LoadedModel) throws -> [Int] {
        try model.tokenize(try text(for: model), bos: bos)
    }

    func text(forFolder folder: URL) throws -> String {
        if let prompt { return prompt }
        if let ready = try BundledSamples.readyPrompts(in: folder).first { return ready }
        let file = folder.appendingPathComponent("prompts.txt")
        if FileManager.default.fileExists(atPath: file.path) {
            throw InputError.promptsFileHasOnlyBlankLines(file: file.path)
        }
        throw InputError.noPrompts(folder: folder.lastPathComponent, file: "prompts.txt")
    }
}

/// Where the sample models shipped in samples/ are found at run time.
enum BundledSamples {
    static let defaultSample = "induction-2l"

    /// The sample folder, searched in $MECHSCOPE_SAMPLES, above the executable, then ./samples.
    static func folder(named name: String) -> URL? {
        var roots: [URL] = []
        if let env = ProcessInfo.processInfo.environment["MECHSCOPE_SAMPLES"] {
            roots.append(URL(fileURLWithPath: env))
        }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        }
        for _ in 0..<6 {
            roots.append(dir.appendingPathComponent("samples"))
            dir = dir.deletingLastPathComponent()
        }
        roots.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("samples"))
        for root in roots {
            let candidate = root.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("config.json").path) {
                return candidate
            }
        }
        return nil
    }

    /// Non-empty lines of a folder's prompts.txt (none without the file; unreadable is an error).
    static func readyPrompts(in folder: URL) throws -> [String] {
        let file = folder.appendingPathComponent("prompts.txt")
        var exists = stat()
        guard lstat(file.path, &exists) == 0 else { return [] }
        // Invalid UTF-8 is refused, as in a --prompt argument, rather than run as U+FFFD.
        var prompts: [String] = []
        for (index, bytes) in try FileBytes.read(file).split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            guard let line = String(data: Data(bytes), encoding: .utf8) else {
                throw CLIError("\(file.path):\(index + 1): the line is not valid UTF-8: save the file as UTF-8")
            }
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { prompts.append(line) }
        }
        return prompts
    }
}

import ArgumentParser
import Foundation
import MechFormats
import MechModels
import MechTensor

/// `mechscope dump`: activations as .npy files, so any number can be checked from Python.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Write activations as NumPy .npy files named by TransformerLens hook (no batch axis).",
        discussion: "Hooks: e.g. blocks.0.attn.hook_pattern, hook_embed, ln_final.hook_normalized, "
            + "blocks.1.attn.hook_result (computed on demand), logits, or 'all'; an encoder's are TransformerLens's "
            + "HookedEncoder names (embed.hook_embed, hook_full_embed, blocks.0.hook_normalized_resid_post) and it has "
            + "no logits. Each file is written under a "
            + "hidden temporary name and renamed when complete; SIGINT or SIGTERM stops between files "
            + "(exit status 130 or 143), so only complete files are left.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var promptOptions: PromptOptions
    @Option(name: .customLong("hook"), parsing: .unconditionalSingleValue, help: "A hook name (repeatable), 'logits', or 'all'.") var hooks: [String] = []
    @Option(name: .customLong("out"), parsing: .unconditional, help: "Output folder (created if needed).") var out: String

    func validate() throws {
        guard !hooks.isEmpty else { throw ValidationError("name at least one --hook (or --hook all)") }
        guard !out.isEmpty else { throw CLIError("--out is empty: name the folder to write to (\".\" for this one)") }
    }

    func run() throws {
        let model = try modelOptions.open()
        let c = model.config
        let available = HookPoint.all(for: c)
        let availableSet = Set(available)
        var wanted: [HookPoint] = []
        var wantLogits = false
        for name in hooks {
            if name == "all" {
                wanted += available + (0..<c.nLayers).map { HookPoint.result($0) }
                wantLogits = c.architecture.lmHead
            } else if name == "logits" {
                try ModelNeed.check([.lmHead], model, command: "dump --hook logits")
                wantLogits = true
            } else if let hook = HookPoint(name: name),
                      availableSet.contains(hook) || (hook.layer.map { $0 < c.nLayers } ?? false && hook == .result(hook.layer!)) {
                wanted.append(hook)
            } else {
                let hint = HookNameSuggestion.closest(to: name, among: available.map(\.name) + (c.architecture.lmHead ? ["logits", "all"] : ["all"]))
                throw CLIError("'\(name)' is not a hook of this model\(hint.map { " (did you mean '\($0)'?)" } ?? "")")
            }
        }
        let ids = try promptOptions.tokens(for: model)
        var needed = Set(wanted)
        for case .result(let l) in wanted { needed.insert(.z(l)) }
        let folder = UserPath.url(out)
        try FileBytes.createFolder(folder)
        InterruptFlag.install()
        let result: ForwardResult
        do {
            result = try model.transformer.run(ids, caching: .only(needed), computeLogits: wantLogits,
                                               shouldContinue: { InterruptFlag.signal == nil })
        } catch ModelError.cancelled {
            throw DumpInterrupted(signal: InterruptFlag.signal ?? SIGINT, written: 0, total: 0, folder: folder.path)
        }

        let hooksToWrite = Array(Set(wanted)).sorted(by: { $0.name < $1.name })
        let total = hooksToWrite.count + (wantLogits ? 1 : 0)
        var written = 0
        func stopIfInterrupted() throws {
            if let signal = InterruptFlag.signal {
                throw DumpInterrupted(signal: signal, written: written, total: total, folder: folder.path)
            }
        }
        for hook in hooksToWrite {
            try stopIfInterrupted()
            let tensor: Tensor
            if case .result(let l) = hook {
                tensor = model.transformer.headResults(layer: l, z: result.cache[.z(l)]!)
            } else {
                tensor = result.cache[hook]!
            }
            try NpyFile.write(tensor, to: folder.appendingPathComponent("\(hook.name).npy"))
            written += 1
        }
        if wantLogits {
            try stopIfInterrupted()
            try NpyFile.write(result.logits, to: folder.appendingPathComponent("logits.npy"))
            written += 1
        }
        print("wrote \(Plural.count(written, "array")) for \(Plural.count(ids.count, "token")) to \(OneLineText.escaped(folder.path))")
    }
}

/// A dump stopped by SIGINT or SIGTERM between two files: what was written is complete.
struct DumpInterrupted: Error, CustomStringConvertible {
    let signal: Int32
    let written: Int
    let total: Int
    let folder: String

    var description: String {
        let name = [SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGHUP: "SIGHUP"][signal] ?? "signal \(signal)"
        return "interrupted by \(name): wrote \(written) of \(total) arrays to \(folder), each complete; "
            + "no partial files were left"
    }
}

/// The closest known name to a mistyped one (edit distance), for "did you mean" hints.
enum HookNameSuggestion {
    static func closest(to name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(Array(name), Array($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(3, name.count / 3) else { return nil }
        return best.0
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var prev = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return a.isEmpty ? b.count : prev[b.count]
    }
}

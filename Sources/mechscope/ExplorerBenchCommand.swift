import ArgumentParser
import Foundation
import MechAnalysis
import MechModels
import MechTUI

/// `mechscope bench-explorer`: the explorer's speed as figures (first frame, atlas metrics,
/// keystroke → frame per page, peak memory). Nothing here passes or fails.
struct ExplorerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-explorer",
        abstract: "Time the explorer: start to first frame, every atlas metric, keystroke to frame on each page, memory.",
        discussion: """
        Runs the explorer's own core, views and renderer headless at the given size, compute inline (so a \
        key's time includes any compute it triggers; writing the frame to a terminal is not included). \
        'since exec' counts from the process's start (kernel start time), including the OpenBLAS re-exec.
        """)

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Prompt text (default: the model folder's first ready prompt).")
    var prompt: String?
    @OptionGroup var bosOptions: BOSOptions
    @Option(help: "Screen width.") var width = 200
    @Option(help: "Screen height.") var height = 60
    @Option(help: "Timed keys per page.") var keys = 200

    func validate() throws {
        try ScreenSizeLimits.validate(width: width, height: height)
        guard keys >= 1 else { throw ValidationError("--keys must be at least 1") }
    }

    func run() throws {
        let t0 = Clock.now()
        let sinceExec0 = ProcessAge.seconds()
        let model = try modelOptions.open()
        let openMs = Clock.since(t0) * 1000
        let session = AnalysisSession(model: model)
        let text = try PromptOptions(prompt: prompt).text(for: model)
        let bos = model.bosDecision(bosOptions.choice).addsBOS
        _ = try session.tokenize(text, prependBOS: bos)
        let report = ExplorerBenchmark.run(session: session, prompt: text, prependBOS: bos, width: width, height: height,
                                           keys: keys)
        let c = model.config
        print("model        \(model.folder.path) (\(c.nLayers)×\(c.dModel), \(c.nHeads) heads, vocab \(c.vocabSize))")
        print("openblas     \(OpenBLASKernelSelection.summary)")
        print("screen       \(width)×\(height), prompt \(report.tokens) tokens\(bos ? " (BOS first)" : "")")
        print(String(format: "first frame  %.1f ms after open, of which %.1f ms tokenize + forward with full cache "
                     + "(%.1f ms open; %.0f ms since exec)", report.firstFrame, report.firstRun, openMs,
                     (sinceExec0.map { $0 * 1000 } ?? 0) + openMs + report.firstFrame))
        print("")
        print("atlas metric                  ms (first use, processed weights derived by the first that needs them)")
        for m in report.metrics {
            print(m.metric.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: "%8.1f", m.milliseconds))
        }
        print(String(format: "all metrics                 %8.1f", report.metrics.reduce(0) { $0 + $1.milliseconds }))
        print("")
        print("keystroke → frame (cached views), ms   keys      p50      p99      max")
        for p in report.pages {
            print(p.page.padding(toLength: 38, withPad: " ", startingAt: 0)
                  + String(format: "%6d %8.3f %8.3f %8.3f", p.keys, p.p50, p.p99, p.max))
        }
        let mem = ProcessMemory.current()
        print("")
        print("memory       peak resident \(ByteFormat.bytes(mem.peakResident)); now \(ByteFormat.bytes(mem.resident)) "
              + "(anonymous \(ByteFormat.bytes(mem.anonymous)), file-backed \(ByteFormat.bytes(mem.fileBacked)))")
    }
}

/// Seconds since this process started (from /proc), or nil where that cannot be read.
enum ProcessAge {
    static func seconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Field 22 of /proc/self/stat (starttime, clock ticks since boot) is the 20th after the name.
        guard fields.count > 19, let start = Double(fields[19]),
              let uptime = Double(uptimeText.split(separator: " ")[0]) else { return nil }
        return uptime - start / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

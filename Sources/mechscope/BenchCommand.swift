import ArgumentParser
import Foundation
import MechFormats
import MechModels
import MechTensor

/// `mechscope bench`: the speed figures (load, forward + full cache, GEMM efficiency, memory).
/// Figures only; nothing here passes or fails.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time model open, forward pass with full activation cache, and report GFLOP/s and memory.")

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .customLong("tokens"), parsing: .unconditionalSingleValue, help: "Sequence lengths to time (repeatable; default 16, 128, 1024, capped at the context).")
    var tokenCounts: [Int] = []
    @Option(parsing: .unconditional, help: "Timed runs per length (the median is reported).") var runs = 5

    func validate() throws {
        guard runs >= 1 else { throw InputError.mustBePositive(option: "--runs", value: runs) }
        if let bad = tokenCounts.first(where: { $0 < 1 }) { throw InputError.mustBePositive(option: "--tokens", value: bad) }
    }

    func run() throws {
        let spec = try modelOptions.resolvedSpec()
        let anonymousPeak = AnonymousMemoryPeak()
        let opened = try Self.open(spec)
        let config = opened.model.config, transformer = opened.model.transformer

        print("model      \(opened.model.folder.path)")
        print("shape      \(config.nLayers)×\(config.dModel), \(config.nHeads) heads, vocab \(config.vocabSize), "
              + "\(ByteFormat.bytes(Self.weightBytes(opened.model))) of weights "
              + "(\(opened.model.dtypeSummary.joined(separator: ", ")))")
        print("openblas   \(OpenBLASKernelSelection.summary)")
        print(String(format: "open       %.1f ms (config, mmap, bind all tensors)", opened.openSeconds * 1000)
              + (opened.model.tokenizer != nil ? String(format: "; tokenizer %.1f ms", opened.tokenizerSeconds * 1000) : ""))
        if let gguf = opened.model.weights as? GGUFWeights {
            let (seconds, count) = try Self.dequantizationTime(gguf, layers: config.nLayers)
            print(String(format: "dequantize %.1f ms per pass (%d block tensors decoded to float32 as the pass reaches them; best of 3)",
                         seconds * 1000, count))
        }

        let lengths = (tokenCounts.isEmpty ? [16, 128, 1024] : tokenCounts).map { min($0, config.nContext) }
        print("")
        for asked in tokenCounts where asked > config.nContext {
            print("note: --tokens \(asked) is beyond the model's context of \(config.nContext) positions: timed at \(config.nContext)")
        }
        print("forward + full activation cache, median of \(Plural.count(runs, "run")); logits at the last position, then at every position")
        print("tokens   last-logits   all-logits   GFLOP(all)  GFLOP/s(all)  gemm-phase GFLOP/s  sgemm ref GFLOP/s  gemm/ref   cache")
        for t in Array(Set(lengths)).sorted() {
            let tokens = Self.randomTokens(count: t, vocab: config.vocabSize)
            _ = try transformer.run(tokens)  // warm-up: first touch of the mapped pages
            func median(_ rows: LogitRows) throws -> (Double, Int) {
                var times: [Double] = []
                var bytes = 0
                for _ in 0..<runs {
                    let s = Clock.now()
                    let r = try transformer.run(tokens, logits: rows)
                    times.append(Clock.since(s))
                    bytes = r.cache.byteCount + r.logits.count * 4
                }
                return (times.sorted()[times.count / 2], bytes)
            }
            let (lastOnly, _) = try median(.last)
            let (all, cacheBytes) = try median(.all)
            GemmProfiler.reset()
            GemmProfiler.isEnabled = true
            _ = try transformer.run(tokens, logits: .all)
            GemmProfiler.isEnabled = false
            let gemmRate = GemmProfiler.flops / GemmProfiler.seconds / 1e9
            let flops = GemmProfiler.flops / 1e9
            let reference = Self.sgemmThroughput(m: t, k: config.dModel, n: 4 * config.dModel)
            print(String(format: "%6d  %9.1f ms  %9.1f ms  %10.4g  %12.4g  %18.1f  %17.1f  %7.3g%%   %@",
                         t, lastOnly * 1000, all * 1000, flops, flops / all, gemmRate, reference,
                         gemmRate / reference * 100, ByteFormat.bytes(cacheBytes)))
        }
        let peakAnonymous = anonymousPeak.stop()
        let mem = ProcessMemory.current()
        print("")
        print("memory     peak resident \(ByteFormat.bytes(mem.peakResident)) (mapped weight pages included); "
              + "peak anonymous \(ByteFormat.bytes(peakAnonymous)) (sampled every \(Int(anonymousPeak.interval * 1000)) ms)")
        print("           now \(ByteFormat.bytes(mem.resident)) (anonymous \(ByteFormat.bytes(mem.anonymous)), "
              + "file-backed \(ByteFormat.bytes(mem.fileBacked)))")
        print("notes      tokens are seeded random ids; every hook is cached in both columns (the cache column counts")
        print("           it with all logits); GFLOP counts the matrix products only; sgemm ref = cblas_sgemm")
        print("           [T×d]·[d×4d] alone, best of several; gemm-phase = the same products timed inside the pass.")
    }

    /// The model, timing the open (config, mmap, binding every tensor) apart from the tokenizer.
    static func open(_ spec: String) throws -> (model: LoadedModel, openSeconds: Double, tokenizerSeconds: Double) {
        let t0 = Clock.now()
        let opened = try AnyModel.open(spec)
        let total = Clock.since(t0)
        guard case .transformer(let model) = opened else { throw ModelKindError.benchNeedsTransformer(folder: opened.folder.path) }
        // The tokenizer loads inside the open, which times it: the two are reported apart.
        return (model, total - model.tokenizerSeconds, model.tokenizerSeconds)
    }

    /// Bytes of tensor data (headers excluded).
    static func weightBytes(_ model: LoadedModel) -> Int {
        if let store = model.weightStore { return store.totalBytes }
        return model.ggufFile?.tensors.reduce(0) { $0 + $1.fileByteRange.count } ?? 0
    }

    /// Time to decode every tensor of every block once, as one forward pass does (best of 3).
    static func dequantizationTime(_ weights: GGUFWeights, layers: Int) throws -> (Double, Int) {
        let names = (0..<layers).flatMap { l in
            ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj",
             "mlp.down_proj"].map { "model.layers.\(l).\($0).weight" }
        }.filter { weights.contains($0) && weights.isStoredInHalfPrecision($0) }
        var best = Double.infinity
        for _ in 0..<3 {
            let s = Clock.now()
            for name in names { _ = try weights.transientTensor(named: name) }
            best = min(best, Clock.since(s))
        }
        return (best, names.count)
    }

    static func randomTokens(count: Int, vocab: Int) -> [Int] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(vocab))
        }
    }

    /// Raw cblas_sgemm throughput on an MLP-shaped product, best of several repetitions.
    static func sgemmThroughput(m: Int, k: Int, n: Int) -> Double {
        let a = Tensor(repeating: 0.5, shape: [m, k]), b = Tensor(repeating: 0.25, shape: [k, n])
        let c = Tensor(zeros: [m, n])
        var best = Double.infinity
        let reps = max(3, min(50, Int(2e9 / (2 * Double(m * k * n)))))
        for _ in 0..<reps {
            let s = Clock.now()
            BLAS.gemm(m: m, n: n, k: k, a: a.pointer, lda: k, b: b.pointer, ldb: n, c: c.pointer, ldc: n)
            best = min(best, Clock.since(s))
        }
        return 2 * Double(m * k * n) / best / 1e9
    }
}

/// Monotonic wall-clock timing.
enum Clock {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func since(_ start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

/// Resident memory figures from /proc/self/status.
struct ProcessMemory {
    var peakResident = 0, resident = 0, anonymous = 0, fileBacked = 0

    static func current() -> ProcessMemory {
        var m = ProcessMemory()
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return m }
        for line in text.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kb = Int(parts[1]) else { continue }
            switch parts[0] {
            case "VmHWM:": m.peakResident = kb * 1024
            case "VmRSS:": m.resident = kb * 1024
            case "RssAnon:": m.anonymous = kb * 1024
            case "RssFile:": m.fileBacked = kb * 1024
            default: break
            }
        }
        return m
    }
}

import Foundation
import MechTestSupport
import XCTest

/// Arguments a hostile or unlucky user passes: sizes that would allocate without bound, a quoted `~`,
/// an empty --out, escape sequences, prompts that only one of several options gives badly, and a
/// config whose BOS id is outside the vocabulary. Each is one line (or does exactly what was asked).
final class HostileArgumentTests: XCTestCase {
    private var scratch: ScratchFolder!
    private let sample = ModelFolderCopy.sample("induction-2l").path

    override func setUpWithError() throws { scratch = try ScratchFolder(prefix: "mechscope-hostile") }
    override func tearDownWithError() throws { scratch.remove() }

    /// `snapshot` and `bench-explorer` allocate a width × height grid: 2^63 − 1 crashed, 10^6 took GBs.
    func testScreenSizesAreBounded() throws {
        for command in [["snapshot"], ["bench-explorer", "--keys", "1"]] {
            for size in [["--width", "9223372036854775807"], ["--height", "9223372036854775807"], ["--width", "1000000"], ["--width", "49"]] {
                try assertFailsInOneLine(command + size, mentions: ["--width must be 50–1000 and --height 12–500"])
            }
        }
    }

    /// A `~` that reaches the program was quoted past the shell: it names a folder called `~` here.
    func testAQuotedTildeIsALiteralFolderName() throws {
        let outcome = try MechscopeProcess.run(["sh", "-c", "cd \"$2\" && exec \"$1\" dump \"$3\" --prompt hi --hook logits --out '~/y'",
                                                "sh", MechscopeProcess.binary.path, scratch.url.path, sample],
                                               environment: ["HOME": scratch.url.appendingPathComponent("home").path], executable: "/usr/bin/env")
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("~/y/logits.npy").path), outcome.stdout)
        XCTAssertTrue(outcome.stdout.hasPrefix("wrote 1 array for "), outcome.stdout)
        // The model argument too: '~/m' is ./~/m, not the home folder's m.
        let info = try MechscopeProcess.run(["sh", "-c", "cd \"$2\" && exec \"$1\" info '~/m'", "sh", MechscopeProcess.binary.path, scratch.url.path],
                                            executable: "/usr/bin/env")
        XCTAssertNotEqual(info.status, 0)
        XCTAssertTrue(info.stderr.contains(scratch.url.appendingPathComponent("~/m").path), info.stderr)
    }

    /// snapshot's default view is the page each model opens on (the toy has no atlas), and its
    /// `--view "export FILE"` really writes FILE (it only said so), or fails in one line saying why.
    func testSnapshotOpensEachModelsOwnPageAndExportWrites() throws {
        let toy = try MechscopeProcess.run(["snapshot", ModelFolderCopy.sample("superposition-toy").path])
        XCTAssertEqual(toy.status, 0, toy.stderr)
        XCTAssertTrue(toy.stdout.hasPrefix("== :story\nFeatures — 16 of 20 represented"), toy.stdout)
        let file = scratch.url.appendingPathComponent("atlas.txt").path
        let written = try MechscopeProcess.run(["snapshot", sample, "--view", "export \(file)"])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("Head atlas — induction score"))
        try assertFailsInOneLine(["snapshot", sample, "--view", "export /nonexistent-folder/x.txt"],
                                 mentions: ["cannot write /nonexistent-folder/x.txt: no such file"])
    }

    /// Options that would be ignored are refused (or, for a benchmark length, noted), never dropped silently.
    func testOptionsThatWouldBeIgnoredAreSaid() throws {
        try assertFailsInOneLine(["heads", sample, "--sort", "entropy", "--composition", "k"], mentions: ["--sort and --composition conflict"])
        try assertFailsInOneLine(["ablate", sample, "--prompt", "a b c", "--answer", "#1", "--wrong", "#2", "--top", "3"],
                                 mentions: ["--top lists neurons: it applies with --neurons LAYER"])
        try assertFailsInOneLine(["run", ModelFolderCopy.sample("superposition-toy").path, "--prompt-ids", "7,7,7"],
                                 mentions: ["toy superposition model: it reads a feature vector, not token ids"])
        let bench = try MechscopeProcess.run(["bench", sample, "--tokens", "5000", "--runs", "1"])
        XCTAssertEqual(bench.status, 0, bench.stderr)
        XCTAssertTrue(bench.stdout.contains("note: --tokens 5000 is beyond the model's context of 128 positions: timed at 128"), bench.stdout)
        XCTAssertTrue(bench.stdout.contains("median of 1 run;"), bench.stdout)
    }

    func testAnEmptyOutIsRefused() throws {
        try assertFailsInOneLine(["dump", sample, "--prompt", "hi", "--hook", "logits", "--out", ""], mentions: ["--out is empty"])
    }

    /// An escape sequence in an argument is echoed as `\x1B`, never sent to the terminal raw.
    func testEscapeSequencesInArgumentsAreShownNotSent() throws {
        let outcome = try MechscopeProcess.run(["dump", sample, "--prompt", "hi", "--hook", "\u{1B}[2J", "--out", scratch.url.path])
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertFalse(outcome.stderr.contains("\u{1B}"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("'\\x1B[2J' is not a hook of this model"), outcome.stderr)
        let out = scratch.url.appendingPathComponent("\u{1B}[31mred").path
        let written = try MechscopeProcess.run(["dump", sample, "--prompt", "hi", "--hook", "logits", "--out", out])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertFalse(written.stdout.contains("\u{1B}"), written.stdout)
        XCTAssertTrue(written.stdout.hasSuffix("\\x1B[31mred\n"), written.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/logits.npy"), "the path itself is kept byte for byte")
    }

    /// With two prompts, the error says which one is unusable.
    func testErrorsNameThePromptTheyAreAbout() throws {
        let long = String(repeating: " a", count: 300)
        try assertFailsInOneLine(["patch", sample, "--clean", long, "--corrupted", "a b", "--answer", "#1", "--wrong", "#2"],
                                 mentions: ["--clean: the prompt is", "longer than the model's context"])
        try assertFailsInOneLine(["patch", sample, "--clean", "a b", "--corrupted", long, "--answer", "#1", "--wrong", "#2"],
                                 mentions: ["--corrupted: the prompt is"])
        try assertFailsInOneLine(["ablate", sample, "--prompt", "a b c", "--answer", "#1", "--wrong", "#2", "--mean", "--reference", ""],
                                 mentions: ["--reference is empty"])
    }

    /// Bytes that are not UTF-8 in prompts.txt are refused with the line, as on the command line.
    func testInvalidUTF8InPromptsFileIsRefused() throws {
        let model = try ModelFolderCopy(of: GoldenFixtures.modelFolder("gpt2-tiny-a"), in: scratch.url)
        try Data("first prompt\n".utf8 + [0x6F, 0xFF, 0x64, 0x0A]).write(to: model.url.appendingPathComponent("prompts.txt"))
        try assertFailsInOneLine(["run", model.path], mentions: ["prompts.txt:2: the line is not valid UTF-8"])
    }

    func testABOSIdOutsideTheVocabularyNamesTheConfig() throws {
        let model = try ModelFolderCopy(of: GoldenFixtures.modelFolder("gpt2-tiny-a"), in: scratch.url)
        try model.editConfig(["bos_token_id": 99999])
        try assertFailsInOneLine(["run", model.path, "--prompt", "hi", "--prepend-bos"],
                                 mentions: ["config.json", "'bos_token_id' is 99999, outside the vocabulary of"])
    }
}

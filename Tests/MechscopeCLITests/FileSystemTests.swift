import Foundation
import XCTest

/// Files that are not what they should be (FIFOs, folders, unwritable places, non-UTF-8 paths) and
/// interrupted dumps: one line saying what, where and why, no hang, and no partial output.
final class FileSystemTests: XCTestCase {
    private var scratch: URL!
    private let tinyA = MechscopeProcess.goldenModel("gpt2-tiny-a")

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mechscope-fs-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// The permission bits of a path.
    private func stat_mode(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode : 0
    }

    override func tearDownWithError() throws {
        _ = chmod(scratch.path, 0o755)
        try? FileManager.default.removeItem(at: scratch)
    }

    private func replaceWithFIFO(_ file: URL) throws {
        try FileManager.default.removeItem(at: file)
        XCTAssertEqual(mkfifo(file.path, 0o644), 0)
    }

    /// A FIFO where a file should be is refused at once (before this fix, opening it waited for a
    /// writer forever); the child is killed if it is still running after 20 s, which fails the test.
    func testFIFOsAreNotRegularFilesAndNeverBlock() throws {
        for name in ["model.safetensors", "config.json", "tokenizer.json", "prompts.txt"] {
            let model = try ModelFolderCopy(of: ModelFolderCopy.sample("induction-2l"), in: scratch, name: "fifo-\(name)")
            try replaceWithFIFO(model.url.appendingPathComponent(name))
            let start = Date()
            let outcome = try MechscopeProcess.run(["timeout", "-s", "KILL", "20", MechscopeProcess.binary.path,
                                                    name == "prompts.txt" ? "run" : "info", model.path], executable: "/usr/bin/env")
            XCTAssertLessThan(Date().timeIntervalSince(start), 15, name)
            if name == "tokenizer.json" {
                // info reports a tokenizer it cannot load instead of failing.
                XCTAssertEqual(outcome.status, 0, outcome.stderr)
                XCTAssertTrue(outcome.stdout.contains("FIFO (named pipe), not a regular file"), outcome.stdout)
            } else {
                XCTAssertEqual(outcome.status, 1, "\(name): \(outcome.stderr)")
                XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
                XCTAssertTrue(outcome.stderr.contains("\(name) is a FIFO (named pipe), not a regular file"), outcome.stderr)
            }
        }
    }

    func testConfigThatIsAFolder() throws {
        let model = try ModelFolderCopy(of: tinyA, in: scratch)
        let config = model.url.appendingPathComponent("config.json")
        try FileManager.default.removeItem(at: config)
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: false)
        try assertFailsInOneLine(["info", model.path], mentions: ["config.json is a folder, not a regular file"])
    }

    /// --out over an existing file, under a file, and where even root may not create a folder.
    func testOutputFoldersThatCannotBeCreated() throws {
        let file = scratch.appendingPathComponent("taken")
        try Data("x".utf8).write(to: file)
        let dump = ["dump", tinyA.path, "--prompt", "hi", "--hook", "logits", "--out"]
        try assertFailsInOneLine(dump + [file.path], mentions: ["cannot create \(file.path): a file with that name exists"])
        try assertFailsInOneLine(dump + [file.path + "/sub"], mentions: ["cannot create \(file.path): a file with that name exists"])
        // sysfs refuses new folders even to root ("operation not permitted", or "read-only file system"
        // where /sys is mounted read-only).
        let sys = try MechscopeProcess.run(dump + ["/sys/mechscope-out"])
        XCTAssertEqual(sys.status, 1, sys.stderr)
        XCTAssertTrue(sys.stderr.hasPrefix("Error: cannot create /sys/mechscope-out: ") && sys.stderr.split(separator: "\n").count == 1,
                      sys.stderr)
        XCTAssertTrue(["operation not permitted", "read-only file system", "permission denied"].contains { sys.stderr.contains($0) },
                      sys.stderr)
        // A folder named like one of the files: the rename onto it fails, and no partial file is left.
        let out = scratch.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("logits.npy"), withIntermediateDirectories: true)
        try assertFailsInOneLine(dump + [out.path], mentions: ["cannot write \(out.path)/logits.npy: a folder with that name exists"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["logits.npy"])
    }

    /// Runs mechscope as the unprivileged user nobody (root ignores permission bits), via setpriv.
    private func runAsNobody(_ args: [String]) throws -> MechscopeProcess.Outcome {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
                          "setpriv (util-linux) is needed to drop to an unprivileged user")
        let launcher = geteuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        return try MechscopeProcess.run(Array(launcher.dropFirst()) + [MechscopeProcess.binary.path] + args,
                                        executable: launcher.first ?? MechscopeProcess.binary.path)
    }

    private func assertOneLine(_ outcome: MechscopeProcess.Outcome, _ expected: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(outcome.crashed, file: file, line: line)
        XCTAssertEqual(outcome.status, 1, outcome.stderr, file: file, line: line)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.contains(expected), "'\(outcome.stderr)' lacks '\(expected)'", file: file, line: line)
    }

    /// A model folder nobody may enter, one whose config.json nobody may read, and an output
    /// folder under a parent nobody may write to. As root the command runs as nobody (root ignores
    /// permission bits); the scratch folder is opened to everyone for that.
    func testFoldersWithoutPermission() throws {
        XCTAssertEqual(chmod(scratch.path, 0o777), 0)
        let binaryFolders = sequence(first: MechscopeProcess.binary.deletingLastPathComponent()) {
            $0.path == "/" ? nil : $0.deletingLastPathComponent()
        }
        try XCTSkipUnless(binaryFolders.allSatisfy { access($0.path, R_OK | X_OK) == 0 && (stat_mode($0.path) & 0o005) == 0o005 },
                          "the build folder is not readable by other users, so nobody cannot run the binary")
        let closed = try ModelFolderCopy(of: tinyA, in: scratch, name: "closed")
        XCTAssertEqual(chmod(closed.path, 0o700), 0)
        assertOneLine(try runAsNobody(["info", closed.path]), "cannot open \(closed.path): permission denied")

        let unreadable = try ModelFolderCopy(of: tinyA, in: scratch, name: "unreadable")
        XCTAssertEqual(chmod(unreadable.path, 0o755), 0)
        XCTAssertEqual(chmod(unreadable.url.appendingPathComponent("config.json").path, 0o600), 0)
        assertOneLine(try runAsNobody(["info", unreadable.path]), "cannot open \(unreadable.path)/config.json: permission denied")

        let locked = scratch.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: false)
        XCTAssertEqual(chmod(locked.path, 0o555), 0)
        let readable = try ModelFolderCopy(of: tinyA, in: scratch, name: "readable")
        _ = chmod(readable.path, 0o755)
        assertOneLine(try runAsNobody(["dump", readable.path, "--prompt", "hi", "--hook", "logits", "--out", locked.path + "/x"]),
                      "cannot create \(locked.path)/x: permission denied")
    }

    /// A path that is not UTF-8 would be decoded with U+FFFD into another path: refused in one line.
    func testNonUTF8OutputPathIsRefused() throws {
        // Process takes Strings; pass the raw bytes through the shell instead.
        let outcome = try MechscopeProcess.run(["sh", "-c", "cd \"$1\" && exec \"$2\" dump \"$3\" --prompt hi --hook logits --out \"$(printf 'o\\377d')\"",
                                                "sh", scratch.path, MechscopeProcess.binary.path, tinyA.path],
                                               executable: "/usr/bin/env")
        XCTAssertEqual(outcome.status, 64, outcome.stderr)
        XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("argument 8 ('o\u{FFFD}d') is not valid UTF-8 (byte 1)"), outcome.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path), [], "nothing written anywhere")
    }

    /// SIGINT (and SIGTERM) in the middle of `dump --hook all` on 1000 tokens: the command stops
    /// between files with status 128 + signal, and every .npy left behind is complete; no temporary
    /// file remains.
    func testInterruptedDumpLeavesOnlyCompleteFiles() throws {
        let model = try ModelFolderCopy(of: tinyA, in: scratch, name: "long-context")
        let positions = 1024, d = 64
        try model.replace("transformer.wpe.weight", shape: [positions, d],
                          values: (0..<(positions * d)).map { Float(sin(Double($0) * 0.001)) * 0.02 })
        try model.editConfig(["n_positions": positions])
        for (signal, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")] {
            try assertInterruptedDump(model, signal: signal, name: name)
        }
    }

    private func assertInterruptedDump(_ model: ModelFolderCopy, signal: Int32, name signalName: String) throws {
        let out = scratch.appendingPathComponent("dump-\(signalName)")
        let process = Process()
        process.executableURL = MechscopeProcess.binary
        process.arguments = ["dump", model.path, "--prompt", String(repeating: " a", count: 1000), "--hook", "all", "--out", out.path]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Interrupt once the first file is complete (41 in all, the largest 16 MB each).
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning,
              ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter({ $0.hasSuffix(".npy") && !$0.hasPrefix(".") }).isEmpty {
            usleep(2000)
        }
        kill(process.processIdentifier, signal)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 128 + signal, stderr)
        XCTAssertTrue(stderr.contains("interrupted by \(signalName): wrote "), stderr)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        XCTAssertTrue(files.allSatisfy { $0.hasSuffix(".npy") && !$0.hasPrefix(".") }, "\(files)")
        XCTAssertGreaterThan(files.count, 0)
        XCTAssertLessThan(files.count, 41, "the dump was stopped before the end: \(files.count) files")
        XCTAssertTrue(stderr.contains("wrote \(files.count) of 41 arrays"), stderr)
        for name in files {
            let data = try Data(contentsOf: out.appendingPathComponent(name))
            XCTAssertEqual(Array(data.prefix(6)), [0x93] + Array("NUMPY".utf8), name)
            let headerLength = Int(data[8]) | Int(data[9]) << 8
            let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
            let shape = header.components(separatedBy: "'shape': (")[1].components(separatedBy: ")")[0]
                .split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            XCTAssertEqual(data.count, 10 + headerLength + 4 * shape.reduce(1, *), "\(name) is complete")
        }
    }
}

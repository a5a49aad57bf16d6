import Foundation
import XCTest

/// The real `mechscope` binary in a private tmux server: keys go in with send-keys, the screen
/// comes back with capture-pane (see shared/README: private server, no user config, UTF-8 pane).
final class TmuxSession {
    let server: String
    private(set) var width: Int
    private(set) var height: Int

    /// Starts `shellCommand` in a new detached session of the given size.
    init(width: Int, height: Int, shellCommand: String, environment: [String: String] = [:]) throws {
        server = "mechscope-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.width = width
        self.height = height
        var args = ["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8"]
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { args += ["-e", "\(k)=\(v)"] }
        args.append(shellCommand)
        try tmux(args, readOutput: false)
    }

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    /// The binary's command line as a shell string, its exit status echoed afterwards and the pane
    /// kept open so the restored terminal can be inspected.
    /// (tmux sets TERM in its panes itself, so variables go on the command line through env.)
    static func command(_ arguments: [String], environment: [String: String] = [:], after: String = "") -> String {
        let exe = MechscopeProcess.binary.path
        let env = environment.sorted { $0.key < $1.key }.map { shellQuoted("\($0.key)=\($0.value)") }
        let quoted = (["env"] + env).joined(separator: " ") + " " + ([exe] + arguments).map(shellQuoted).joined(separator: " ")
        return "\(quoted); echo EXIT=$?; \(after) sleep 600"
    }

    /// Runs a tmux command against the private server through /bin/sh (`system`), its output
    /// captured in a file. (Foundation's Process can wait for ever here: the command that starts
    /// the server leaves a daemon holding what the client inherited.)
    @discardableResult
    func tmux(_ arguments: [String], readOutput: Bool = true) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: out) }
        let words = ["tmux", "-L", server, "-f", "/dev/null"] + arguments
        let line = words.map(Self.shellQuoted).joined(separator: " ") + " </dev/null >\(Self.shellQuoted(out.path)) 2>/dev/null"
        let status = system(line)
        guard status != -1 else { throw TmuxError(description: "could not run tmux") }
        guard readOutput else { return "" }
        return (try? String(contentsOf: out, encoding: .utf8)) ?? ""
    }

    static func shellQuoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    struct TmuxError: Error, CustomStringConvertible { let description: String }

    /// Keys as tmux names them ("Enter", "C-c", "Escape") or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", "0"] + (literal ? ["-l"] : []) + keys)
    }

    func type(_ text: String) throws { try tmux(["send-keys", "-t", "0", "-l", text]) }

    func capture(colors: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "0"] + (colors ? ["-e"] : []))
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "0", "-x", "\(width)", "-y", "\(height)"])
        self.width = width
        self.height = height
    }

    /// Whether the pane is on the alternate screen (a full-screen program is showing).
    func alternateScreenOn() throws -> Bool {
        try tmux(["display-message", "-p", "-t", "0", "#{alternate_on}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// The pid of the program in the pane's shell (the first child of the pane's shell).
    func panePID() throws -> Int32? {
        Int32(try tmux(["display-message", "-p", "-t", "0", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Polls the screen until `predicate` holds on a whole frame (or `timeout` passes); returns the last capture.
    ///
    /// A frame reaches tmux in pieces (the pty passes a few KB at a time), so a capture can hold the new
    /// title above the old page's rows. A match counts once a second capture 50 ms later still matches
    /// and shows the same rows above the status line (whose spinner may turn); a page that keeps
    /// changing (a grid filling in) is taken as it is after matching for 2 s.
    @discardableResult
    func waitFor(timeout: TimeInterval = 40, _ description: String, file: StaticString = #filePath, line: UInt = #line,
                 _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        var matched: (screen: String, since: Date)? = nil
        while Date() < deadline {
            screen = try capture()
            if predicate(screen) {
                if let earlier = matched,
                   Self.rowsAboveStatus(earlier.screen) == Self.rowsAboveStatus(screen) || Date().timeIntervalSince(earlier.since) > 2 {
                    return screen
                }
                matched = (screen, matched?.since ?? Date())
            } else {
                matched = nil
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(description); screen:\n\(screen)", file: file, line: line)
        return screen
    }

    private static func rowsAboveStatus(_ screen: String) -> ArraySlice<Substring> {
        screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast(2)
    }

    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 40, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitFor(timeout: timeout, "'\(text)'", file: file, line: line) { $0.contains(text) }
    }

    /// After a program started with `command(_:after: "stty -a;")` exits: its status is `status`, the
    /// pane is off the alternate screen, `stty -a` shows cooked modes and no explorer screen is left.
    func assertRestored(status: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let screen = try waitFor("EXIT=", file: file, line: line)
        XCTAssertTrue(screen.contains("EXIT=\(status)"), screen, file: file, line: line)
        let after = try waitFor("extproc", file: file, line: line)   // the last word of `stty -a`
        XCTAssertFalse(try alternateScreenOn(), "still on the alternate screen", file: file, line: line)
        let keypad = try tmux(["display-message", "-p", "-t", "0", "#{keypad_cursor_flag}#{keypad_flag}"])
        XCTAssertEqual(keypad.trimmingCharacters(in: .whitespacesAndNewlines), "00",
                       "keypad-transmit mode left on (cursor keys, keypad)", file: file, line: line)
        let words = Set(after.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        for mode in ["icanon", "echo", "icrnl", "opost", "isig"] {
            XCTAssertTrue(words.contains(mode) && !words.contains("-" + mode), "terminal mode \(mode) not restored:\n\(after)",
                          file: file, line: line)
        }
        XCTAssertFalse(after.contains(" tok, "),
                       "the explorer's screen was left behind", file: file, line: line)
    }

    func kill() { _ = try? tmux(["kill-server"], readOutput: false) }

    deinit { kill() }
}

import XCTest
@testable import MechTUI

/// The keymap table is the single source of input, help and hints.
final class KeymapHelpTests: XCTestCase {
    /// Every key that does something in a context is listed in its help with what it does, and
    /// nothing else is: each listed (key, help) pair is checked against the table's lookup, and
    /// every key of the table that works in the context appears.
    func testHelpListsExactlyTheKeymapBindings() {
        let keymap = Keymap.standard
        for context in KeyContext.allCases where context != .lineEditor && context != .help {
            let lines = HelpView.lines(for: context, keymap: keymap)
            let commandsStart = lines.firstIndex { $0.heading && $0.text.hasPrefix("Commands") }!
            let bindingLines = lines[..<commandsStart].filter { !$0.heading && !$0.text.isEmpty }.map(\.text)
            let listed = HelpView.effectiveBindings(for: context, keymap: keymap)
            XCTAssertEqual(bindingLines, listed.map { "  " + DisplayWidth.fit($0.binding.keyLabel, 16) + $0.binding.help })
            for (_, b) in listed { for k in b.keys { XCTAssertEqual(keymap.action(for: k, in: context), b.action) } }
            let allKeys = Set((keymap.bindings(in: context) + keymap.bindings(in: .global)).flatMap(\.keys))
            let listedKeys = Set(listed.flatMap(\.binding.keys))
            XCTAssertEqual(listedKeys, allKeys, "every working key of \(context) is in its help")
            XCTAssertEqual(lines.count - commandsStart - 1, ExplorerCommand.table.count, "commands in help of \(context)")
        }
    }

    /// Each key of each binding reaches that binding's action, so no row of help is shadowed by
    /// an earlier row for the same key in the same context.
    func testEveryListedKeyDoesWhatHelpSays() {
        let keymap = Keymap.standard
        for binding in keymap.bindings {
            for key in binding.keys {
                XCTAssertEqual(keymap.action(for: key, in: binding.context), binding.action,
                               "\(key.label) in \(binding.context) is listed as '\(binding.help)'")
            }
        }
    }

    /// The help screen drawn by `?` shows the rows of the current page's bindings.
    func testQuestionMarkShowsThePageBindings() throws {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"),
                                        prompt: SampleSessions.inductionPrompt, width: 100, height: 60)
        explorer.press(.char("?"))
        let screen = explorer.screen
        XCTAssertTrue(screen.contains("Help — Head atlas"), screen)
        for binding in Keymap.standard.bindings(in: .atlas) {
            XCTAssertTrue(screen.contains(DisplayWidth.fit(binding.keyLabel, 16) + binding.help), "missing \(binding.help)")
        }
        explorer.press(.escape)
        XCTAssertFalse(explorer.screen.contains("Help —"))
    }

    /// The status line's hints come from the table's hint rows for the focused context.
    func testStatusHintsFollowTheContext() {
        let hints = Keymap.standard.hints(for: .atlas)
        XCTAssertEqual(hints.first, "m next metric")
        XCTAssertTrue(hints.contains("?/F1 help"))
        XCTAssertTrue(Keymap.standard.hints(for: .lineEditor).contains("Enter run it"))
        XCTAssertFalse(Keymap.standard.hints(for: .lineEditor).contains("?/F1 help"))
        // A hint stops before the help's parenthesis or colon, never inside it.
        XCTAssertTrue(hints.contains(": command line"), "\(hints)")
        XCTAssertTrue(Keymap.standard.hints(for: .head).contains("x zero-ablate this head"), "\(Keymap.standard.hints(for: .head))")
        XCTAssertTrue(Keymap.standard.hints(for: .patching).contains("s next grid"), "\(Keymap.standard.hints(for: .patching))")
        for context in KeyContext.allCases {
            for hint in Keymap.standard.hints(for: context) {
                XCTAssertFalse(hint.hasSuffix("(") || hint.contains(" (") || hint.hasSuffix(":"), "\(context): '\(hint)'")
            }
        }
    }

    /// A key a view binds itself appears once in its help and hints, with the view's meaning (even when
    /// the view's action is the global one, as h/l in the neuron list).
    func testAKeyAViewOverridesAppearsOnce() {
        let keymap = Keymap.standard
        for context in KeyContext.allCases where context != .lineEditor && context != .help {
            let keys = HelpView.effectiveBindings(for: context, keymap: keymap).flatMap(\.binding.keys)
            XCTAssertEqual(keys.count, Set(keys).count, "a key listed twice in the help of \(context)")
        }
        let neurons = HelpView.lines(for: .neurons, keymap: keymap).map(\.text)
        XCTAssertTrue(neurons.contains { $0.hasSuffix("previous token (the position ranked at)") }, "\(neurons)")
        XCTAssertFalse(neurons.contains { $0.hasSuffix("  left") || $0.hasSuffix("  right") }, "\(neurons)")
        let atlas = keymap.hints(for: .atlas)
        XCTAssertEqual(atlas.filter { $0.hasPrefix("Enter ") }, ["Enter open the head"], "\(atlas)")
    }

    /// Several pending requests of one kind (the lens's pages) are named once in the status line.
    func testRunningTaskNamesAreListedOnce() {
        XCTAssertEqual(StatusBar.distinct(["logit lens", "logit lens", "induction scores", "logit lens"]),
                       ["logit lens", "induction scores"])
    }

    /// The README's key table is `mechscope keys`'s output, so the documentation cannot drift.
    func testReadmeKeyTableIsTheGeneratedOne() throws {
        let readme = try String(contentsOf: SampleSessions.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try XCTUnwrap(readme.range(of: "<!-- keys:begin -->\n")), end = try XCTUnwrap(readme.range(of: "\n<!-- keys:end -->"))
        XCTAssertEqual(String(readme[begin.upperBound..<end.lowerBound]), KeymapTable.markdown(),
                       "README's key table is stale: paste the output of `mechscope keys` between the markers")
    }
}

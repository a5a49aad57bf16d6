import Foundation
import XCTest
@testable import MechTUI

/// The `--play` script parser: what each line becomes, and one-line errors naming file and line.
final class DemoScriptTests: XCTestCase {
    func testAGoodScriptExpandsToKeys() throws {
        let text = """
        # a comment

        j  Enter
        5j
        C-d Ctrl-u PgDn Up F1 Esc Tab Space
        type "a \\"b\\""
        :head L1H3
        wait 1.5
        caption "look here"
        """
        let script = try DemoScript.parse(text, file: "demo.keys")
        let typed = "a \"b\"".map { DemoScript.Step.typed(.char($0)) }
        let command = ":head L1H3".map { DemoScript.Step.typed(.char($0)) } + [.key(.enter)]
        XCTAssertEqual(script.steps,
                       [.key(.char("j")), .key(.enter), .key(.char("5")), .key(.char("j")),
                        .key(.ctrl("d")), .key(.ctrl("u")), .key(.pageDown), .key(.up), .key(.function(1)),
                        .key(.escape), .key(.tab), .key(.char(" "))]
                       + typed + command + [.wait(1.5), .caption("look here")])
    }

    func testErrorsNameFileAndLine() {
        func error(_ text: String) -> String {
            do { _ = try DemoScript.parse(text, file: "demo.keys"); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(error("j\n\n# x\nj\nj\nj\nEntr"), "demo.keys:7: unknown key 'Entr' (did you mean Enter?)")
        XCTAssertEqual(error("Frobnicate"), "demo.keys:1: unknown key 'Frobnicate'")
        XCTAssertEqual(error("j\n5Entr"), "demo.keys:2: unknown key 'Entr' (did you mean Enter?)")
        XCTAssertEqual(error("type hello"), "demo.keys:1: type needs its text in double quotes: type \"…\"")
        XCTAssertEqual(error("caption \"open"), "demo.keys:1: caption needs its text in double quotes: caption \"…\"")
        XCTAssertEqual(error("wait soon"), "demo.keys:1: wait needs seconds (a number ≥ 0), not 'soon'")
        XCTAssertEqual(error("wait -1"), "demo.keys:1: wait needs seconds (a number ≥ 0), not '-1'")
        XCTAssertEqual(error("j\n:"), "demo.keys:2: ':' needs a command after it (:head L1H3)")
        XCTAssertEqual(error("C-1"), "demo.keys:1: unknown key 'C-1' (did you mean F1?)")
    }

    func testAMissingFileIsOneLine() {
        XCTAssertThrowsError(try DemoScript.load(path: "/nonexistent/demo.keys")) { error in
            XCTAssertEqual("\(error)", "cannot open /nonexistent/demo.keys: no such file")
        }
    }

    func testShippedScriptsParse() throws {
        for name in ["induction-2l", "modadd-1l", "superposition-toy"] {
            let url = SampleSessions.repositoryRoot.appendingPathComponent("samples/demos/\(name).keys")
            let script = try DemoScript.load(path: url.path)
            XCTAssertGreaterThan(script.steps.count, 9, name)
        }
    }
}

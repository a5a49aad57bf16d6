import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import MechTUI

/// `:export FILE.ans` and `FILE.svg`: the same view as `.txt`, in colour.
final class ExportFormatTests: XCTestCase {
    private func explorerOnHead() throws -> HeadlessExplorer {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"),
                                        prompt: SampleSessions.inductionPrompt, width: 100, height: 30)
        explorer.command("head L1H3")
        explorer.command("export /tmp/view.txt")
        explorer.command("export /tmp/view.ans")
        explorer.command("export /tmp/view.svg")
        return explorer
    }

    func testAnsiExportStripsToThePlainText() throws {
        let explorer = try explorerOnHead()
        let txt = try XCTUnwrap(explorer.exports["/tmp/view.txt"])
        let ans = try XCTUnwrap(explorer.exports["/tmp/view.ans"])
        XCTAssertTrue(txt.contains("top keys of query"), txt)
        XCTAssertTrue(ans.contains("\u{1B}[0m"), "resets")
        XCTAssertTrue(ans.contains(";5;") || ans.contains("\u{1B}[0m\u{1B}[3"), "colour sequences")
        XCTAssertTrue(ans.contains("\u{1B}[1;38;5;221;48;5;233m"), "the heading's bold 256-colour yellow on the theme's background")
        XCTAssertTrue(ans.hasSuffix("\u{1B}[0m\n"))
        for line in ans.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            XCTAssertTrue(line.hasSuffix("\u{1B}[0m"), "every line ends in a reset: \(line.debugDescription)")
        }
        // Heatmap cells are coloured blanks, kept in .ans; plain text drops trailing blanks.
        func trimmed(_ s: String) -> String {
            s.split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
        }
        let onScreen = explorer.grid.text(in: explorer.state.layout.main) + "\n"
        XCTAssertEqual(trimmed(AnsiText.strip(ans)), onScreen)
        XCTAssertNotEqual(AnsiText.strip(ans), onScreen, "the heatmap's coloured blanks are in the .ans")
        XCTAssertFalse(onScreen.contains("▓"), "the colour view's heat is colour alone")
        XCTAssertTrue(txt.contains("▓"), "the .txt carries it as shades")
    }

    func testSgrCodes() {
        XCTAssertEqual(AnsiText.sgr(.plain), "")
        XCTAssertEqual(AnsiText.sgr(CellStyle(foreground: .palette(1), background: .palette(12), bold: true)), "\u{1B}[1;31;104m")
        XCTAssertEqual(AnsiText.sgr(CellStyle(foreground: .palette(196), reverse: true)), "\u{1B}[7;38;5;196m")
    }

    func testSvgExportParsesAsXMLAndHoldsTheScreensText() throws {
        let explorer = try explorerOnHead()
        let svg = try XCTUnwrap(explorer.exports["/tmp/view.svg"])
        let reader = SvgTextReader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(reader.root, "svg")
        XCTAssertEqual(explorer.state.layout.main.height, 28)
        XCTAssertEqual(reader.rows.count, 28, "one <text> per row of the main view")
        let recovered = reader.rows.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
        XCTAssertEqual(recovered, explorer.grid.text(in: explorer.state.layout.main), "the screen's text, heat in colour")
        XCTAssertGreaterThan(reader.filledRects, 10, "heatmap cells as rectangles")
        XCTAssertTrue(reader.fonts.contains { $0.contains("monospace") })
    }

    func testXMLSpecialCharactersAreEscaped() {
        XCTAssertEqual(SvgText.escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;")
        XCTAssertEqual(XtermColors.rgb(196), RGB(255, 0, 0))
        XCTAssertEqual(XtermColors.rgb(244), RGB(128, 128, 128))
    }
}

/// Collects each `<text>` element's characters from an SVG.
private final class SvgTextReader: NSObject, XMLParserDelegate {
    var root: String?
    var rows: [String] = []
    var filledRects = 0
    var fonts: [String] = []
    private var inText = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name; fonts.append(attributes["font-family"] ?? "") }
        if name == "text" { inText = true; rows.append("") }
        if name == "rect", attributes["x"] != nil { filledRects += 1 }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { inText = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { rows[rows.count - 1] += string }
    }
}

import XCTest
@testable import MechTUI

final class GridAndTextTests: XCTestCase {
    func testWideCharactersTakeTwoCellsAndNeverStraddleTheEdge() {
        var grid = CellGrid(width: 6, height: 1)
        XCTAssertEqual(grid.put("日本x", x: 0, y: 0), 5)
        XCTAssertEqual(grid.rowText(0), "日本x ")
        XCTAssertTrue(grid[1, 0].isContinuation)
        var edge = CellGrid(width: 3, height: 1)
        XCTAssertEqual(edge.put("a日本", x: 0, y: 0), 3)
        XCTAssertEqual(edge.rowText(0), "a日")
        XCTAssertEqual(DisplayWidth.of("🙂"), 2)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining accent adds no width")
        XCTAssertEqual(DisplayWidth.fit("日本語テキスト", 7), "日本語…")
        XCTAssertEqual(DisplayWidth.of(DisplayWidth.fit("日本語テキスト", 7)), 7)
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = CellGrid(width: 4, height: 1)
        grid.put("日本", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        XCTAssertEqual(grid.rowText(0), " x本")
        XCTAssertEqual(DisplayWidth.of(grid.rowText(0)), 4)
    }

    func testControlCharactersAreNeverSentToTheTerminal() {
        var grid = CellGrid(width: 8, height: 1)
        grid.put("a\u{1B}[2Jb", x: 0, y: 0)
        XCTAssertEqual(grid.rowText(0), "a?[2Jb  ")
    }

    func testChangedRowsAreOnlyTheRowsThatDiffer() {
        var a = CellGrid(width: 4, height: 3)
        a.put("abc", x: 0, y: 0)
        var b = a
        b.put("z", x: 1, y: 2)
        XCTAssertEqual(b.changedRows(since: a), [2])
        XCTAssertEqual(b.changedRows(since: nil), [0, 1, 2])
    }

    func testLineEditorMovesByGraphemes() {
        var editor = LineEditor("ab🙂e\u{301}")
        XCTAssertEqual(editor.characters.count, 4)
        editor.apply(.left)
        editor.apply(.deleteBackward)
        XCTAssertEqual(editor.text, "abe\u{301}")
        editor.apply(.start)
        editor.insert("日")
        XCTAssertEqual(editor.text, "日abe\u{301}")
        editor.apply(.end)
        editor.apply(.deleteWordBackward)
        XCTAssertEqual(editor.text, "")
        let long = LineEditor(String(repeating: "日", count: 40))
        let view = long.visible(columns: 11)
        XCTAssertLessThanOrEqual(DisplayWidth.of(view.text) , 10)
        XCTAssertEqual(view.cursorColumn, DisplayWidth.of(view.text), "the cursor stays visible at the end")
    }

    func testColourDepthAndMonochromeHeat() {
        XCTAssertEqual(ColorDepth.detect(environment: ["NO_COLOR": "1"], terminalColors: 256), .monochrome)
        XCTAssertEqual(ColorDepth.detect(environment: [:], terminalColors: 256), .palette256)
        XCTAssertEqual(ColorDepth.detect(environment: [:], terminalColors: 8), .basic(colors: 8))
        let mono = Palette(depth: .monochrome)
        XCTAssertEqual(mono.heat(0).text, " ")
        XCTAssertEqual(mono.heat(0.5).text, "▒")
        XCTAssertEqual(mono.heat(1).text, "█")
        // A diverging scale keeps the sign without colour: negatives take braille dots, one glyph a step.
        XCTAssertEqual(mono.heat(1, signed: true).text, "█")
        XCTAssertEqual(mono.heat(-1, signed: true).text, "⣿")
        for step in 1...4 {
            let v = Double(step) / 4
            XCTAssertEqual(mono.heat(v, signed: true).text, Palette.shades[step])
            XCTAssertEqual(mono.heat(-v, signed: true).text, Palette.negativeShades[step])
            XCTAssertNotEqual(mono.heat(-v, signed: true).text, mono.heat(v, signed: true).text, "±\(v)")
        }
        XCTAssertEqual(mono.heat(-0.05, signed: true).text, " ", "a value that rounds to zero is blank either way")
        XCTAssertEqual(mono.heat(-0.5).text, " ", "a sequential scale clamps at 0")
        // Every diverging legend: negative end, zero, positive end.
        XCTAssertEqual(mono.legendCells(signed: true, steps: 9).map(\.text).joined(), "⣿⣶⣤⣀ 0 ░▒▓█")
        XCTAssertEqual(mono.legendCells(signed: false, steps: 5).map(\.text).joined(), " ░▒▓█")
        let colourLegend = Palette(depth: .truecolor).legendCells(signed: true, steps: 4)
        XCTAssertEqual(colourLegend.count, 11)
        XCTAssertEqual(colourLegend[5].text, "0")
        XCTAssertEqual(colourLegend[0].style.background, .rgb(215, 48, 39), "the diverging gradient's negative end")
        XCTAssertEqual(colourLegend[10].style.background, .rgb(69, 117, 180), "and its positive end")
        let color = Palette(depth: .palette256)
        XCTAssertEqual(color.heat(1).style.background, .palette(RGB(252, 253, 191).xterm256))
        XCTAssertEqual(RGB(255, 0, 0).xterm256, 196)
        XCTAssertEqual(RGB(128, 128, 128).xterm256, 244)
        XCTAssertEqual(RGB(250, 10, 10).basic(only8: true), 1)
    }
}

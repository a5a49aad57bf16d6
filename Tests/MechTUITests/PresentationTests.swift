import XCTest
@testable import MechTUI

/// `--present` / `:present`: the projector layout really changes what is drawn.
final class PresentationTests: XCTestCase {
    /// Columns between the atlas's "H0" and "H1" headers: one head cell's width.
    private func atlasCellWidth(_ explorer: HeadlessExplorer) throws -> Int {
        let h0 = try XCTUnwrap(explorer.grid.find("H0")), h1 = try XCTUnwrap(explorer.grid.find("H1"))
        XCTAssertEqual(h0.y, h1.y)
        return h1.x - h0.x
    }

    func testPresentWidensHeatmapCellsAndHidesTheNavigator() throws {
        let session = try SampleSessions.session("induction-2l")
        let explorer = HeadlessExplorer(session: session, prompt: SampleSessions.inductionPrompt, width: 120, height: 40)
        XCTAssertGreaterThan(explorer.state.layout.navigator.width, 0)
        XCTAssertTrue(explorer.screen.contains("▾ head atlas") || explorer.screen.contains("head atlas"), explorer.screen)
        let normalWidth = try atlasCellWidth(explorer)
        XCTAssertEqual(normalWidth, 7)
        let atlasRow = try XCTUnwrap(explorer.grid.find("L1   ")).y
        XCTAssertEqual(try XCTUnwrap(explorer.grid.find("L0   ")).y, atlasRow - 1, "one line a layer")

        explorer.command("present")
        XCTAssertTrue(explorer.state.presenting)
        XCTAssertEqual(explorer.state.layout.navigator.width, 0, "no navigator pane")
        XCTAssertFalse(explorer.screen.contains("│Head atlas"), "no navigator border before the view")
        XCTAssertEqual(try atlasCellWidth(explorer), 2 * normalWidth, "atlas cells twice as wide")
        let l0 = try XCTUnwrap(explorer.grid.find("L0   ")).y, l1 = try XCTUnwrap(explorer.grid.find("L1   ")).y
        XCTAssertEqual(l1 - l0, 2, "two lines a layer")
        // The cell below L0H0's label line is heat-coloured too (a taller cell).
        let h0 = try XCTUnwrap(explorer.grid.find("H0"))
        XCTAssertEqual(explorer.grid[h0.x, l0 + 1].style.background, explorer.grid[h0.x, l0].style.background)
        // The title is the page's name, padded and bold; a blank row separates it from the view.
        let title = explorer.grid.rowText(0)
        XCTAssertTrue(title.hasPrefix("   HEAD ATLAS   ·   induction-2l"), title)
        XCTAssertTrue(explorer.grid[3, 0].style.bold)
        XCTAssertEqual(explorer.state.layout.main.y, 2)
        XCTAssertEqual(explorer.grid.rowText(1).trimmingCharacters(in: .whitespaces), "")

        // The head page: wider key columns with the panel below the heatmap.
        explorer.command("head L1H3")
        let presented = AttentionHeadView.layout(explorer.state)
        XCTAssertEqual(presented.cellWidth, 2)
        XCTAssertFalse(presented.panelBeside)
        explorer.command("present off")
        XCTAssertFalse(explorer.state.presenting)
        let normal = AttentionHeadView.layout(explorer.state)
        XCTAssertEqual(normal.cellWidth, 1)
        XCTAssertTrue(normal.panelBeside)
        XCTAssertGreaterThan(explorer.state.layout.navigator.width, 0, "the navigator is back")
    }

    func testPresentingStartsFromTheOption() throws {
        let session = try SampleSessions.session("induction-2l")
        let explorer = HeadlessExplorer(session: session, prompt: SampleSessions.inductionPrompt, width: 100, height: 30,
                                        presenting: true)
        XCTAssertEqual(explorer.state.layout.navigator.width, 0)
        XCTAssertTrue(explorer.grid.rowText(0).hasPrefix("   HEAD ATLAS"))
        XCTAssertEqual(ExplorerCommand.parse("present on"), .success(.present(true)))
        XCTAssertEqual(ExplorerCommand.parse("present"), .success(.present(nil)))
        XCTAssertEqual(ExplorerCommand.parse("present maybe"),
                       .failure(.badArgument(command: "present", argument: "maybe", expected: "nothing, on or off")))
    }
}

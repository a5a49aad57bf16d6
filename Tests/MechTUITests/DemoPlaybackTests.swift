import Foundation
import XCTest
import MechModels
@testable import MechTUI

/// The shipped demos played headless through `DemoPlayer`: each reaches its story's last page.
final class DemoPlaybackTests: XCTestCase {
    private func script(_ name: String) throws -> DemoScript {
        try DemoScript.load(path: SampleSessions.repositoryRoot.appendingPathComponent("samples/demos/\(name).keys").path)
    }

    func testInductionDemoEndsOnTheNextTokenOfTheRepeatedName() throws {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: "hello there")
        explorer.play(try script("induction-2l"))
        XCTAssertEqual(explorer.state.page, .logits)
        XCTAssertEqual(explorer.state.prompt, SampleSessions.inductionPrompt)
        XCTAssertEqual(explorer.state.metric, .repeatedInduction)
        XCTAssertTrue(explorer.screen.contains("Next token after"), explorer.screen)
        // It ends with the induction head ablated: the copied token's probability collapses.
        XCTAssertEqual(explorer.state.ablations.map(\.label), ["zero-ablate L1H3"])
        XCTAssertTrue(explorer.screen.contains("Zero-ablate L1H3: p(' l') falls"), explorer.screen)
        XCTAssertTrue(explorer.screen.contains("p(' l') 0.01% (clean 27.92%, Δ -27.91%)"), explorer.screen)
        XCTAssertFalse(explorer.runtime.isComputing)
    }

    func testInductionDemoShowsTheCopyBeforeTheAblation() throws {
        // Everything up to the ablation: ' l', what followed the name the first time, is the top token.
        let steps = try script("induction-2l").steps
        let caption = try XCTUnwrap(steps.firstIndex { if case .caption(let t) = $0 { return t.hasPrefix("Next token: ' l'") } else { return false } })
        let cut = caption + 1
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: "hello there")
        explorer.play(DemoScript(steps: Array(steps[..<cut])))
        XCTAssertTrue(explorer.screen.contains("Next token: ' l', as in ' lives'"), explorer.screen)
        XCTAssertTrue(explorer.screen.contains("A  1  ' l' "), "induction copies what followed the name:\n\(explorer.screen)")
    }

    func testSuperpositionDemoEndsOnTheDroppedFeatures() throws {
        let folder = SampleSessions.folder("superposition-toy")
        let story = try ModelStory.read(folder: folder, isToy: true)
        XCTAssertEqual(story, .features)
        let explorer = HeadlessExplorer(toy: try ToySuperpositionModel(folder: folder), width: 120, height: 40)
        XCTAssertEqual(explorer.state.page, .features)
        explorer.play(try script("superposition-toy"))
        XCTAssertEqual(explorer.state.featuresPage.row, 16)
        XCTAssertTrue(explorer.screen.contains("dropped (‖W_i‖ ≤ 0.5): 16 17 18 19"), explorer.screen)
        XCTAssertTrue(explorer.screen.contains("Features 16–19, the rarest"), explorer.screen)
    }

    func testPlaybackStopsAtAHeadPageWithCaptions() throws {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: "hello there")
        explorer.play(try DemoScript.parse(":head L1H3\nj", file: "t.keys"), captions: true)
        XCTAssertEqual(explorer.state.page, .head(layer: 1, head: 3))
        XCTAssertTrue(explorer.screen.split(separator: "\n")[0].contains("Head L1H3"), explorer.screen)
        XCTAssertTrue(explorer.screen.contains("▶ key j"), explorer.screen)
    }

    func testModAddDemoEndsOnFiftySeven() throws {
        // As the explorer opens it: on its story page (the Fourier page).
        let story = try ModelStory.read(folder: SampleSessions.folder("modadd-1l"), isToy: false)
        let explorer = HeadlessExplorer(session: try SampleSessions.session("modadd-1l"), prompt: "12 45 =", story: story)
        XCTAssertEqual(explorer.state.page, .fourier)
        explorer.play(try script("modadd-1l"))
        XCTAssertTrue(explorer.screen.contains("A  1  '57' "), explorer.screen)
        XCTAssertEqual(explorer.state.page, .logits)
        XCTAssertTrue(explorer.screen.contains("Next token: 12 + 45 = 57"), explorer.screen)
    }
}

/// The player's clock: keys at `pace`, typed text at a tenth of it, waits, and pausing.
final class DemoPlayerTimingTests: XCTestCase {
    func testPaceWaitsAndPause() throws {
        let explorer = HeadlessExplorer(session: try SampleSessions.session("induction-2l"), prompt: "hello there")
        let script = try DemoScript.parse("j\ntype \"ab\"\nwait 2\nk", file: "t.keys")
        let player = DemoPlayer(script: script, pace: 0.5, captions: false)
        XCTAssertTrue(player.advance(explorer.runtime, now: 10))           // j
        XCTAssertFalse(player.advance(explorer.runtime, now: 10.4), "the next key waits for the pace")
        XCTAssertTrue(player.advance(explorer.runtime, now: 10.5))         // typed a
        XCTAssertTrue(player.advance(explorer.runtime, now: 10.55))        // typed b, a tenth of the pace later
        XCTAssertTrue(player.advance(explorer.runtime, now: 10.61))        // wait 2
        XCTAssertFalse(player.advance(explorer.runtime, now: 12.5))
        player.togglePause(now: 12.5)
        XCTAssertFalse(player.advance(explorer.runtime, now: 13), "paused")
        player.togglePause(now: 13)
        XCTAssertTrue(player.advance(explorer.runtime, now: 13))           // k
        XCTAssertTrue(player.finished)
        XCTAssertEqual(player.index, 5)
    }
}

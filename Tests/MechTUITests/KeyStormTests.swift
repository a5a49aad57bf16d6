import MechAnalysis
import XCTest
@testable import MechTUI

/// A seeded storm of random keys and resizes through the real core, views and renderer: nothing
/// may crash or hang, and every frame keeps the grid's shape.
final class KeyStormTests: XCTestCase {
    func testHundredThousandRandomKeysNeverCrash() throws {
        for (sample, prompt) in [("induction-2l", SampleSessions.inductionPrompt), ("modadd-1l", "12 45 =")] {
            try storm(sample: sample, prompt: prompt, keys: 50_000, seed: sample == "modadd-1l" ? 7 : 1)
        }
    }

    private func storm(sample: String, prompt: String, keys: Int, seed: UInt64) throws {
        let session = try SampleSessions.session(sample)
        var explorer = HeadlessExplorer(session: session, prompt: prompt, width: 80, height: 24)
        var quits = 0, generations = 0, skipped = 0
        var random = SplitMix64(seed: seed)
        let bound = Array(Set(Keymap.standard.bindings.flatMap(\.keys)))
            .sorted { $0.label < $1.label }
        let extra: [Key] = [.char("x"), .char("7"), .char("0"), .char("日"), .char("🙂"), .char(" "), .function(5), .backTab]
        let pool = bound + extra
        var frames = 0
        for _ in 0..<keys {
            let roll = random.below(1000)
            if roll < 8 {
                explorer.resize(width: 1 + random.below(220), height: 1 + random.below(70))
            } else if roll < 10, case .normal = explorer.state.mode {
                explorer.press(.char("?"))
            } else {
                let key = pool[random.below(pool.count)]
                if key == .char("q") || key == .ctrl("c") {
                    // q quits in normal mode: count it instead of ending the storm.
                    if case .normal = explorer.state.mode { skipped += 1; continue }
                }
                explorer.press(key)
            }
            if explorer.runtime.quitRequested {          // :q typed by chance: start again
                quits += 1
                generations += explorer.state.generation
                explorer = HeadlessExplorer(session: session, prompt: prompt, width: 80, height: 24)
                continue
            }
            XCTAssertEqual(explorer.grid.cells.count, explorer.state.width * explorer.state.height)
            frames += 1
        }
        XCTAssertEqual(frames + quits + skipped, keys, "every key produced a frame")
        XCTAssertGreaterThan(generations + explorer.state.generation, 1 + quits, "the storm edited and reran the prompt on \(sample)")
    }
}

import Foundation
import MechAnalysis
import MechModels
import MechTestSupport
import XCTest
@testable import MechTUI

/// Each sample opens on the page that shows what it learned, with the analysis's numbers.
final class StoryPageTests: XCTestCase {
    func testSamplesNameTheirStoryInConfig() throws {
        XCTAssertEqual(try ModelStory.read(folder: SampleSessions.folder("induction-2l"), isToy: false), .atlas)
        XCTAssertEqual(try ModelStory.read(folder: SampleSessions.folder("modadd-1l"), isToy: false),
                       .fourier(FourierStory(modulus: 113, template: "{a} {b} =")))
        XCTAssertEqual(try ModelStory.read(folder: SampleSessions.folder("superposition-toy"), isToy: true), .features)
    }

    func testABadStoryFailsInOneLine() throws {
        let cases: [(String, String)] = [
            (#"{"mechscope_story": {"page": "movie"}}"#, "mechscope_story: unknown page 'movie' (atlas, fourier, features)"),
            (#"{"mechscope_story": {"page": "features"}}"#, "mechscope_story: page 'features' is for toy superposition models"),
            (#"{"mechscope_story": {"page": "fourier", "modulus": 1}}"#, "mechscope_story: modulus must be at least 2"),
            (#"{"mechscope_story": {"page": "fourier", "modulus": 7, "template": "{a} ="}}"#,
             "mechscope_story: template '{a} =' needs {a} and {b}"),
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("story-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (json, message) in cases {
            try json.write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try ModelStory.read(folder: folder, isToy: false), json) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.hasSuffix("config.json: " + message), text)
                XCTAssertFalse(text.contains("\n"))
            }
        }
        try #"{"mechscope_story": {"page": "fourier"}}"#.write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ModelStory.read(folder: folder, isToy: false)) { error in
            XCTAssertTrue(String(describing: error).contains("modulus"), String(describing: error))
        }
        try "{}".write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try ModelStory.read(folder: folder, isToy: false), .atlas, "no key: the atlas")
        XCTAssertEqual(try ModelStory.read(folder: folder, isToy: true), .features)
    }

    func testModularAdditionOpensOnFourierWithKeyFrequenciesNeuronAndAccuracy() throws {
        let session = try SampleSessions.session("modadd-1l")
        let story = try ModelStory.read(folder: SampleSessions.folder("modadd-1l"), isToy: false)
        let explorer = HeadlessExplorer(session: session, prompt: "12 45 =", width: 120, height: 40, story: story)
        XCTAssertEqual(explorer.state.page, .fourier)
        let screen = explorer.screen
        // The key frequencies are the analysis's (EmbeddingFourierSpectrum on W_E), which the README lists.
        let spectrum = EmbeddingFourierSpectrum(embedding: session.model.transformer.weights.tokenEmbedding, period: 113)
        let key = FourierView.keyFrequencies(spectrum)
        XCTAssertEqual(key, Array(spectrum.rankedFrequencies.prefix(4)))
        XCTAssertEqual(Set(key), [42, 1, 19, 38], "README: largest frequencies 42, 1, 19, 38")
        let listed = key.map { "\($0) (" + String(format: "%.1f%%", 100 * spectrum.power[$0 - 1]) + ")" }.joined(separator: "  ")
        XCTAssertEqual(listed, "42 (30.2%)  1 (29.0%)  19 (20.6%)  38 (17.8%)")
        XCTAssertTrue(screen.contains("key frequencies: " + listed), screen)
        // Accuracy over all 12769 inputs, as the sample README and verify_samples.py state: all correct.
        let sweep = try XCTUnwrap(FourierView.sweep(explorer.state))
        XCTAssertTrue(sweep.isComplete)
        XCTAssertEqual(sweep.inputsDone, 12769)
        XCTAssertEqual(sweep.correct, 12769)
        XCTAssertTrue(screen.contains("accuracy over all 12769 inputs: 100.00% (12769 correct)"), screen)
        // The neuron shown fires most on the prompt; the sweep's value at (12, 45) is the prompt run's.
        let run = try XCTUnwrap(explorer.state.run)
        let post = try run.result.cache.required(.mlpPost(0))                 // [3, 512]
        let lastRow = (0..<512).map { post[2, $0] }
        let neuron = try XCTUnwrap(FourierView.neuron(explorer.state))
        XCTAssertEqual(neuron, lastRow.indices.max { lastRow[$0] < lastRow[$1] })
        XCTAssertTrue(screen.contains("Neuron L0N\(neuron) at the last token, over all 113 × 113 inputs"), screen)
        for n in [neuron, 0, 511] {
            XCTAssertEqual(sweep.activation(a: 12, b: 45, neuron: n), lastRow[n], accuracy: 1e-5)
        }
        // A heatmap cell is the mean of the activations it covers, over the neuron's maximum.
        let high = (0..<113).flatMap { a in (0..<113).map { b in sweep.activation(a: a, b: b, neuron: neuron) } }.max()!
        let pooled = FourierView.pooled(sweep, neuron: neuron, rows: 113, columns: 113, scale: high)
        XCTAssertEqual(pooled[12][45]!, Double(lastRow[neuron] / high), accuracy: 1e-6)
        // ] shows the next neuron; Enter opens its page.
        explorer.press(.char("]"))
        XCTAssertTrue(explorer.screen.contains("Neuron L0N\((neuron + 1) % 512) at the last token"))
        explorer.press(.enter)
        XCTAssertEqual(explorer.state.page, .neuron(layer: 0, neuron: (neuron + 1) % 512))
        explorer.press(.escape)
        XCTAssertEqual(explorer.state.page, .fourier)
    }

    func testTheSweepReportsProgressAndStopsWhenCancelled() throws {
        let session = try SampleSessions.session("modadd-1l")
        let sweep = ModularSweepRun(session: session, story: FourierStory(modulus: 113), prependBOS: false)
        var reported: [Int] = []
        XCTAssertThrowsError(try sweep.sweep(shouldContinue: { reported.count < 2 }, progress: { reported.append($0.rowsDone) })) { error in
            XCTAssertEqual(ComputeFailure(error).cancelled, true)
        }
        XCTAssertEqual(reported, [8, 16], "a partial sweep every 8 rows of a; cancelled before row 17")
    }

    /// Without colour WᵀW keeps its sign: a negative entry takes braille dots, a positive one of the
    /// same magnitude a shade, and the legend shows the negative end, zero and the positive end.
    /// The sample's off-diagonal entries are small positive or larger negative ones, so the same
    /// magnitude with the other sign comes from the sample with one feature's direction reversed
    /// (W_2 → −W_2: row and column 2 change sign, every magnitude stays).
    func testInterferenceKeepsItsSignWithoutColour() throws {
        let sample = SampleSessions.folder("superposition-toy")
        let scratch = try ScratchFolder(prefix: "mechscope-wtw-sign")
        defer { scratch.remove() }
        let flippedFolder = scratch.url.appendingPathComponent("superposition-toy-w2")
        try FileManager.default.createDirectory(at: flippedFolder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: sample.appendingPathComponent("config.json"),
                                         to: flippedFolder.appendingPathComponent("config.json"))
        var bytes = [UInt8](try Data(contentsOf: sample.appendingPathComponent("model.safetensors")))
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any])
        let w = try XCTUnwrap(header["W"] as? [String: Any])
        XCTAssertEqual(w["dtype"] as? String, "F32")
        let shape = try XCTUnwrap(w["shape"] as? [Int]), start = try XCTUnwrap((w["data_offsets"] as? [Int])?.first)
        for r in 0..<shape[0] { bytes[8 + headerLength + start + 4 * (r * shape[1] + 2) + 3] ^= 0x80 }   // little-endian sign bit
        try Data(bytes).write(to: flippedFolder.appendingPathComponent("model.safetensors"))

        let views = try [sample, flippedFolder].map { folder in
            HeadlessExplorer(toy: try ToySuperpositionModel(folder: folder), width: 120, height: 40, depth: .monochrome)
        }
        let maps = try views.map { try XCTUnwrap($0.state.featureMap) }
        XCTAssertEqual(maps[0].gramScale, maps[1].gramScale)
        let main = views[0].state.layout.main
        let layout = FeaturesView.Layout(features: 20, cursor: 0, width: main.width, height: main.height, presenting: false)
        XCTAssertEqual(layout.firstHeatRow, 0)
        XCTAssertEqual(layout.heatRows, 20)
        func glyph(_ view: HeadlessExplorer, _ i: Int, _ j: Int) -> String {
            view.grid[main.x + layout.heatX + j * layout.cellWidth + layout.cellWidth - 1, main.y + layout.heatY + i].text
        }
        for view in views {
            XCTAssertTrue(view.grid.rowText(main.y + layout.heatY - 2).contains("Interference WᵀW   -1.30 ⣿⣶⣤⣀ 0 ░▒▓█ +1.30"),
                          view.grid.rowText(main.y + layout.heatY - 2))
        }
        var opposite = 0
        for i in 0..<20 {
            for j in 0..<20 where !(i == 0 && j == 0 && layout.cellWidth == 1) {      // the cursor's ◆
                let a = maps[0].gram[i][j], b = maps[1].gram[i][j]
                let v = Double(a / maps[0].gramScale)
                XCTAssertEqual(glyph(views[0], i, j), Palette.shade(v, signed: true), "WᵀW[\(i)][\(j)] = \(v)")
                XCTAssertEqual(abs(b), abs(a), accuracy: 1e-6)
                guard (i == 2) != (j == 2), abs(v) >= 0.125 else { continue }
                XCTAssertEqual(b, -a, accuracy: 1e-6, "reversing W_2 changes the sign of row and column 2")
                XCTAssertNotEqual(glyph(views[0], i, j), glyph(views[1], i, j),
                                  "WᵀW[\(i)][\(j)]: \(a) and \(b) of one magnitude draw differently")
                let (minus, plus) = a < 0 ? (views[0], views[1]) : (views[1], views[0])
                XCTAssertEqual(glyph(minus, i, j), Palette.negativeShades[Int((abs(v) * 4).rounded())])
                XCTAssertEqual(glyph(plus, i, j), Palette.shades[Int((abs(v) * 4).rounded())])
                opposite += 1
            }
        }
        XCTAssertEqual(opposite, 2 * 15, "features 0–15 but 2 are represented: row 2 and column 2, each entry non-zero")
        XCTAssertTrue(maps[0].gram[0][2] < -0.5 && maps[1].gram[0][2] > 0.5, "feature 0 and 2 read each other strongly")
    }

    func testSuperpositionToyOpensOnFeaturesWithTheInterferenceMatrix() throws {
        let toy = try ToySuperpositionModel(folder: SampleSessions.folder("superposition-toy"))
        let explorer = HeadlessExplorer(toy: toy, width: 120, height: 40)
        XCTAssertEqual(explorer.state.page, .features)
        let hints = explorer.grid.rowText(39)
        XCTAssertTrue(hints.contains("next feature") && !hints.contains("edit the prompt"), "no prompt hint for a toy: \(hints)")
        let screen = explorer.screen
        XCTAssertTrue(screen.contains("Features — 16 of 20 represented (‖W_i‖ > 0.5) in 5 dimensions"), screen)
        XCTAssertTrue(screen.contains("dropped (‖W_i‖ ≤ 0.5): 16 17 18 19"), screen)
        // The heatmap holds WᵀW, the analysis's Gram matrix, cell by cell in the diverging scale.
        let geometry = SuperpositionGeometry(toy)
        let values = FeaturesView.heatValues(explorer.state)
        XCTAssertEqual(values.count, 20)
        var cells = 0
        let map = try XCTUnwrap(explorer.state.featureMap)
        let main = explorer.state.layout.main
        let layout = FeaturesView.Layout(features: 20, cursor: 0, width: main.width, height: main.height, presenting: false)
        let palette = Palette(depth: .palette256)
        for i in 0..<20 {
            for j in 0..<20 {
                XCTAssertEqual(values[i][j], geometry.gram[i, j])
                let expected = palette.heat(Double(geometry.gram[i, j] / map.gramScale), signed: true).style.background
                XCTAssertEqual(layout.firstHeatRow, 0)
                let cell = explorer.grid[main.x + layout.heatX + j * layout.cellWidth + layout.cellWidth - 1, main.y + layout.heatY + i]
                XCTAssertEqual(cell.style.background, expected, "WᵀW[\(i)][\(j)]")
                cells += 1
            }
        }
        XCTAssertEqual(cells, 400)
        XCTAssertEqual(map.gramScale, (0..<20).map { geometry.gram[$0, $0] }.max()!, "the diagonal ‖W_i‖² is the largest entry")
        // Which features share dimensions with feature 0: |cos| ≥ 0.5, from WᵀW.
        let sharing = map.sharing(0)
        XCTAssertEqual(Set(sharing), [2, 5, 11, 13, 14])
        XCTAssertTrue(screen.contains("feature 0 shares dimensions with: "), screen)
        explorer.press(.char("j"))
        XCTAssertTrue(explorer.screen.contains("feature 1 shares dimensions with: "), explorer.screen)
        explorer.press(.char("G"))
        XCTAssertTrue(explorer.screen.contains("feature 19 is not represented"), explorer.screen)
        // Pages of a transformer are refused in one line; the toy runs no prompt.
        explorer.press(.char("a"))
        XCTAssertEqual(explorer.state.page, .features)
        XCTAssertEqual(explorer.state.message?.text, "superposition-toy is a toy superposition model: it has the features page only")
        explorer.press(.char("p"))
        XCTAssertEqual(explorer.state.mode, .normal)
        XCTAssertTrue(explorer.state.message?.text.hasPrefix("superposition-toy is a toy superposition model: it reads feature vectors") ?? false)
        XCTAssertFalse(explorer.screen.contains("running the prompt"))
        explorer.command("present")
        XCTAssertTrue(explorer.state.presenting)
        XCTAssertTrue(explorer.screen.contains("Interference WᵀW"))
    }
}

import Foundation
import MechTestSupport
import XCTest
@testable import MechTUI

/// Theme files, the shipped themes, colour-blind-safe gradients, colour depth, and `:theme`.
final class ThemeTests: XCTestCase {
    static let folder = SampleSessions.repositoryRoot.appendingPathComponent("themes")
    static let shipped = ["dark", "high-contrast", "light", "monochrome", "projector"]

    func testAGoodFileSetsRolesAndGradients() throws {
        let loaded = try ThemeFile.parse("""
        # a comment
        background = "#ffffff"
        text = #101010
        accent = "#ff0000"
        sequential = "#000000" "#ffffff"
        diverging = #0000ff #000000 #ffa500
        """, name: "t", source: "t.theme")
        XCTAssertEqual(loaded.warnings, [])
        XCTAssertEqual(loaded.theme.name, "t")
        XCTAssertEqual(loaded.theme.color(.background), RGB(255, 255, 255))
        XCTAssertEqual(loaded.theme.color(.text), RGB(16, 16, 16), "quotes are optional")
        XCTAssertEqual(loaded.theme.sequential.stops, [RGB(0, 0, 0), RGB(255, 255, 255)])
        XCTAssertEqual(loaded.theme.diverging.stops, [RGB(0, 0, 255), RGB(0, 0, 0), RGB(255, 165, 0)])
        // Missing semantic roles take the dark theme's; finer roles are derived from the file's own.
        XCTAssertEqual(loaded.theme.color(.positive), Theme.dark.color(.positive))
        XCTAssertEqual(loaded.theme.color(.titleBackground), RGB(255, 0, 0), "the title bar takes the accent")
        XCTAssertEqual(loaded.theme.color(.title), RGB(255, 255, 255), "and black or white text that reads on it")
        XCTAssertEqual(loaded.theme.color(.statusBackground), RGB(255, 255, 255).mixed(with: RGB(16, 16, 16), 0.18))
        XCTAssertEqual(loaded.theme.color(.error), loaded.theme.color(.negative))
    }

    func testUnknownKeysWarnAndOldNamesStillRead() throws {
        let loaded = try ThemeFile.parse("""
        sparkle = "#00ff00"
        dim = "#444444"
        selectionBackground = "#123456"
        dim = "#555555"
        """, name: "t", source: "t.theme")
        XCTAssertEqual(loaded.theme.color(.muted), RGB(0x55, 0x55, 0x55), "dim is muted's old name; the last line wins")
        XCTAssertEqual(loaded.theme.color(.selection), RGB(0x12, 0x34, 0x56))
        XCTAssertEqual(loaded.warnings.count, 2, "\(loaded.warnings)")
        XCTAssertTrue(loaded.warnings[0].hasPrefix("t.theme:1: unknown key 'sparkle' ignored (roles: background, text,"), loaded.warnings[0])
        XCTAssertEqual(loaded.warnings[1], "t.theme:4: 'dim' was already set on line 2; this line wins")
    }

    func testBadLinesFailInOneLineNamingFileAndLine() {
        let cases: [(String, String)] = [
            ("text = \"#d0d0d0\"\naccent #ff0000", "t.theme:2: expected 'key = \"#rrggbb\"', found 'accent #ff0000'"),
            ("accent = blue", "t.theme:1: accent needs one \"#rrggbb\" colour, found 'blue'"),
            ("# c\n\naccent = \"#ff00\"", "t.theme:3: accent needs one \"#rrggbb\" colour, found '\"#ff00\"'"),
            ("accent = #+12345", "t.theme:1: accent needs one \"#rrggbb\" colour, found '#+12345'"),
            ("text = #ffffff #000000", "t.theme:1: text needs one \"#rrggbb\" colour, found '#ffffff #000000'"),
            ("diverging = #ff0000", "t.theme:1: diverging needs two or more \"#rrggbb\" stops, found '#ff0000'"),
            ("sequential = #000000 grey #ffffff", "t.theme:1: sequential: 'grey' is not a \"#rrggbb\" colour"),
            (" = #000000", "t.theme:1: a setting needs a key before '='"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try ThemeFile.parse(text, name: "t", source: "t.theme"), text) { error in
                XCTAssertEqual((error as? ThemeFileError)?.description, message)
                XCTAssertFalse(String(describing: error).contains("\n"))
            }
        }
        XCTAssertEqual(cases.count, 8)
    }

    func testEveryShippedThemeLoadsWithoutWarningsAndSpellsOutTheSemanticRoles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".theme") }.sorted()
        XCTAssertEqual(files, Self.shipped.map { $0 + ".theme" })
        var backgrounds = Set<String>()
        for name in Self.shipped {
            let loaded = try ThemeFile.load(Self.folder.appendingPathComponent(name + ".theme"))
            XCTAssertEqual(loaded.warnings, [], name)
            XCTAssertEqual(loaded.theme.name, name)
            for role in Theme.Role.semantic { XCTAssertNotNil(loaded.theme.colors[role], "\(name) leaves out \(role)") }
            backgrounds.insert(ColorVision.hex(loaded.theme.color(.background)))
            // Text must read on the background for everyone: a large brightness step.
            let contrast = abs(loaded.theme.color(.text).brightness - loaded.theme.color(.background).brightness)
            XCTAssertGreaterThan(contrast, 150, name)
        }
        XCTAssertGreaterThanOrEqual(backgrounds.count, 2, "light and dark backgrounds both ship")
        XCTAssertEqual(try ThemeFile.load(Self.folder.appendingPathComponent("dark.theme")).theme.colors, Theme.dark.colors,
                       "dark.theme spells out the built-in theme")
        let dark = try ThemeFile.load(Self.folder.appendingPathComponent("dark.theme")).theme
        XCTAssertEqual(dark.sequential, Theme.dark.sequential)
        XCTAssertEqual(dark.diverging, Theme.dark.diverging)
    }

    /// No two adjacent stops of any shipped gradient differ only in red–green: simulated with
    /// protanopia and deuteranopia (Machado 2009), they stay ≥ 15 ΔE apart (brightness or
    /// blue–yellow), and a diverging scale's negative and positive ends stay ≥ 40 ΔE apart.
    func testShippedGradientsAreColourBlindSafe() throws {
        var checked = 0
        for name in Self.shipped {
            let theme = try ThemeFile.load(Self.folder.appendingPathComponent(name + ".theme")).theme
            for (gradient, diverging) in [(theme.sequential, false), (theme.diverging, true)] {
                XCTAssertEqual(ColorVision.problems(gradient, diverging: diverging), [], name)
                for (a, b) in zip(gradient.stops, gradient.stops.dropFirst()) {
                    for vision in ColorVision.allCases {
                        XCTAssertGreaterThanOrEqual(vision.distance(a, b), ColorVision.minimumStopDistance, "\(name) \(vision)")
                        checked += 1
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 2 * 30)
    }

    func testTheCheckCatchesRedGreenOnlyStops() throws {
        // Brick red and olive green: far apart for normal vision, nearly one colour without green cones.
        let red = RGB(0xb4, 0x46, 0x3c), green = RGB(0x6e, 0x7d, 0x3c)
        XCTAssertGreaterThan(ColorVision.normalDistance(red, green), 50)
        XCTAssertLessThan(ColorVision.deuteranopia.distance(red, green), 5)
        XCTAssertEqual(ColorVision.problems(Gradient([red, green]), diverging: false),
                       ["stops 1 and 2 (#b4463c, #6e7d3c) look alike with deuteranopia (ΔE 2.2 < 15)"])
        // The old high-contrast scale ran red ← black → green: each step is a brightness step,
        // but its two signs look alike with deuteranopia.
        let old = Gradient([RGB(255, 0, 0), RGB(0, 0, 0), RGB(0, 255, 0)])
        XCTAssertEqual(ColorVision.problems(old, diverging: true),
                       ["the negative and positive ends (#ff0000, #00ff00) look alike with deuteranopia (ΔE 27.8 < 40)"])
        let loaded = try ThemeFile.parse("diverging = #ff0000 #000000 #00ff00", name: "t", source: "t.theme")
        XCTAssertEqual(loaded.warnings, ["t.theme:1: diverging: the negative and positive ends (#ff0000, #00ff00) look alike "
                                         + "with deuteranopia (ΔE 27.8 < 40)"])
        // Grey steps are safe for everyone.
        XCTAssertEqual(ColorVision.problems(Gradient([RGB(0, 0, 0), RGB(128, 128, 128), RGB(255, 255, 255)]), diverging: true), [])
    }

    func testCatalogFindsNamesAliasesAndFiles() throws {
        let catalog = ThemeCatalog(folder: Self.folder)
        XCTAssertEqual(catalog.names, Self.shipped)
        XCTAssertEqual(try catalog.load("light").theme.color(.background), RGB(255, 255, 255))
        XCTAssertEqual(try catalog.load("paper").theme.name, "light", "the old name is an alias")
        XCTAssertEqual(try catalog.load("default").theme.name, "dark")
        XCTAssertEqual(try catalog.load("contrast").theme.name, "high-contrast")
        XCTAssertEqual(try catalog.load(Self.folder.appendingPathComponent("projector.theme").path).theme.name, "projector")
        XCTAssertThrowsError(try catalog.load("neon")) { error in
            XCTAssertEqual(String(describing: error), "no theme 'neon' (themes: dark, high-contrast, light, monochrome, "
                           + "projector); give a theme's name or a theme file's path")
        }
        // Without a themes folder the built-in dark theme still loads by name.
        XCTAssertEqual(try ThemeCatalog(folder: nil).load("dark").theme, Theme.dark)
    }

    func testColourDepthFromTheTerminal() throws {
        XCTAssertEqual(ColorDepth.detect(environment: ["NO_COLOR": "1"], terminalColors: ColorDepth.directColors), .monochrome)
        XCTAssertEqual(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], terminalColors: ColorDepth.directColors), .truecolor)
        XCTAssertEqual(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], terminalColors: 256), .palette256,
                       "a 256-colour terminal description cannot send 24-bit colour")
        XCTAssertEqual(ColorDepth.detect(environment: [:], terminalColors: 16), .basic(colors: 16))
        XCTAssertTrue(ColorDepth.wantsTruecolor(["COLORTERM": "24bit"]))
        XCTAssertFalse(ColorDepth.wantsTruecolor(["COLORTERM": "yes"]))

        let truecolor = Palette(depth: .truecolor)
        XCTAssertEqual(truecolor.heat(1).style.background, .rgb(252, 253, 191))
        XCTAssertEqual(AnsiText.sgr(CellStyle(foreground: .rgb(1, 2, 3), background: .rgb(250, 251, 252))),
                       "\u{1B}[38;2;1;2;3;48;2;250;251;252m")

        // COLORTERM=truecolor opens the -direct sibling of TERM when one is installed.
        let scratch = try ScratchFolder(prefix: "terminfo")
        let entry = scratch.url.appendingPathComponent("t/tmux-direct")
        try FileManager.default.createDirectory(at: entry.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([0]).write(to: entry)
        let env = ["TERM": "tmux-256color", "COLORTERM": "truecolor", "TERMINFO": scratch.url.path, "HOME": "/nonexistent"]
        XCTAssertEqual(DirectColorTerminal.description(for: env), "tmux-direct")
        XCTAssertNil(DirectColorTerminal.description(for: env.merging(["COLORTERM": ""]) { $1 }))
        XCTAssertNil(DirectColorTerminal.description(for: env.merging(["TERM": "screen-256color"]) { $1 }))
    }

    func testLightThemePaintsTheBackgroundAndMonochromeLeavesTheTerminalsOwn() {
        var renderer = ExplorerRenderer(width: 60, height: 14, palette: Palette(theme: try! ThemeCatalog(folder: Self.folder).load("light").theme,
                                                                               depth: .palette256))
        renderer.render(.test(width: 60, height: 14))
        let white = TerminalColor.palette(RGB(255, 255, 255).xterm256)
        XCTAssertEqual(renderer.grid[30, 5].style.background, white, "an empty cell of the main view")
        XCTAssertFalse(renderer.grid.cells.contains { $0.style.background == .terminalDefault })
        var mono = ExplorerRenderer(width: 60, height: 14, palette: Palette(depth: .monochrome))
        mono.render(.test(width: 60, height: 14))
        XCTAssertEqual(mono.grid[30, 5].style, .plain)
    }

    func testThemeCommandChangesWhatIsDrawnAndCompletesNames() throws {
        let session = try SampleSessions.session("induction-2l")
        let explorer = HeadlessExplorer(session: session, prompt: SampleSessions.inductionPrompt, width: 120, height: 40,
                                        themes: ThemeCatalog(folder: Self.folder))
        XCTAssertEqual(explorer.state.themeNames, Self.shipped)
        let before = explorer.grid
        let text = explorer.screen
        explorer.command("theme light")
        XCTAssertEqual(explorer.state.themeName, "light")
        XCTAssertEqual(explorer.state.message?.text, "theme light")
        let after = explorer.grid
        XCTAssertEqual(after.text.split(separator: "\n").dropLast(), text.split(separator: "\n").dropLast(),
                       "the same text, other colours")
        let changed = zip(before.cells, after.cells).filter { $0.style != $1.style }.count
        XCTAssertGreaterThan(changed, after.cells.count / 2, "most cells change colour")
        // The atlas's heat cells use the light theme's sequential scale now.
        let light = try ThemeCatalog(folder: Self.folder).load("light").theme
        let lightHeat = Set(light.sequential.stops.map { TerminalColor.palette($0.xterm256) })
        let backgrounds = Set(after.cells.map(\.style.background))
        XCTAssertFalse(lightHeat.isDisjoint(with: backgrounds))
        XCTAssertEqual(after[0, 0].style.background, .palette(light.color(.titleBackground).xterm256))

        // Tab completes theme names; an unknown theme is a one-line error and keeps the colours.
        explorer.type(":theme hi")
        explorer.press(.tab)
        guard case .command(let editor) = explorer.state.mode else { return XCTFail("left the command line") }
        XCTAssertEqual(editor.text, "theme high-contrast ")
        explorer.press(.escape)
        explorer.command("theme neon")
        XCTAssertEqual(explorer.state.message?.isError, true)
        XCTAssertTrue(explorer.state.message?.text.hasPrefix(":theme no theme 'neon' (themes: dark, high-contrast") ?? false)
        XCTAssertEqual(explorer.state.themeName, "light")
        explorer.command("theme paper")
        XCTAssertEqual(explorer.state.themeName, "light", "old names keep working")
    }
}

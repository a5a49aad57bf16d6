import Foundation
import MechFormats
import XCTest

/// Paths the user typed name exactly that path: a `~` that reached the program through the shell
/// was quoted (a folder called `~`); inside the explorer, where no shell runs, `~/` is the home folder.
final class UserPathTests: XCTestCase {
    func testAQuotedTildeIsAFolderHere() {
        let here = FileManager.default.currentDirectoryPath
        XCTAssertEqual(UserPath.url("~/y").path, here + "/~/y")
        XCTAssertEqual(UserPath.url("~").path, here + "/~")
        XCTAssertEqual(UserPath.url("/tmp/~/y").path, "/tmp/~/y")
        XCTAssertEqual(UserPath.url("a/b").path, here + "/a/b")
    }

    func testATildeTypedAtTheExplorersPromptIsHome() {
        XCTAssertEqual(UserPath.url(typedAtPrompt: "~/notes.txt", home: "/home/r").path, "/home/r/notes.txt")
        XCTAssertEqual(UserPath.url(typedAtPrompt: "~", home: "/home/r").path, "/home/r")
        XCTAssertEqual(UserPath.url(typedAtPrompt: "~x/notes.txt", home: "/home/r").path,
                       FileManager.default.currentDirectoryPath + "/~x/notes.txt")
        XCTAssertEqual(UserPath.url(typedAtPrompt: "/tmp/x.txt", home: "/home/r").path, "/tmp/x.txt")
    }
}

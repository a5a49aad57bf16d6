import Foundation
import XCTest
@testable import MechFormats

final class ModelLocatorTests: TemporaryDirectoryTestCase {
    private var hub: URL { directory.appendingPathComponent("hub") }

    private func makeSnapshot(_ repoFolder: String, _ revision: String, modified: Date) throws {
        try write("{}", to: "hub/\(repoFolder)/snapshots/\(revision)/config.json")
        let snapshot = hub.appendingPathComponent("\(repoFolder)/snapshots/\(revision)")
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: snapshot.path)
    }

    private func locator(_ environment: [String: String]) -> ModelLocator {
        ModelLocator(environment: environment, currentDirectory: directory)
    }

    func testHubCacheDirectoryPrecedence() {
        XCTAssertEqual(locator(["HF_HUB_CACHE": "/c", "HF_HOME": "/h", "HOME": "/u"]).hubCacheDirectory.path, "/c")
        XCTAssertEqual(locator(["HF_HOME": "/h", "HOME": "/u"]).hubCacheDirectory.path, "/h/hub")
        XCTAssertEqual(locator(["HOME": "/u"]).hubCacheDirectory.path, "/u/.cache/huggingface/hub")
    }

    func testPrefersRefsMainRevision() throws {
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        try makeSnapshot("models--openai-community--gpt2", "aaa111", modified: old)
        try makeSnapshot("models--openai-community--gpt2", "bbb222", modified: old.addingTimeInterval(1000))
        try write("aaa111\n", to: "hub/models--openai-community--gpt2/refs/main")

        let located = try locator(["HF_HUB_CACHE": hub.path]).locate("openai-community/gpt2")
        XCTAssertEqual(located.folder.lastPathComponent, "aaa111")
        XCTAssertEqual(located.source, .hubCache(repoID: "openai-community/gpt2", revision: "aaa111"))
    }

    func testFallsBackToNewestSnapshot() throws {
        let old = Date(timeIntervalSince1970: 1_600_000_000)
        try makeSnapshot("models--gpt2", "newer", modified: old.addingTimeInterval(1000))
        try makeSnapshot("models--gpt2", "older", modified: old)
        try write("{}", to: "hub/models--gpt2/snapshots/newest-but-empty/README.md")  // no config.json: skipped
        try write("does-not-exist", to: "hub/models--gpt2/refs/main")

        let located = try locator(["HF_HOME": directory.path]).locate("gpt2")
        XCTAssertEqual(located.source, .hubCache(repoID: "gpt2", revision: "newer"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: located.folder.appendingPathComponent("config.json").path))
    }

    func testNotInCacheSaysWhereItLookedAndNeverDownloads() throws {
        let error = assertFormatError(try locator(["HF_HUB_CACHE": hub.path]).locate("gpt2")) {
            if case .modelNotInHubCache("gpt2", let searched) = $0 {
                return searched == self.hub.appendingPathComponent("models--gpt2/snapshots").path
            }
            return false
        }
        let text = try XCTUnwrap(error?.description)
        XCTAssertTrue(text.contains(hub.path), text)
        XCTAssertTrue(text.contains("mechscope never downloads"), text)
        XCTAssertTrue(text.contains("huggingface-cli download gpt2"), text)
        XCTAssertTrue(text.contains("pass a folder path"), text)
    }

    func testFolderPaths() throws {
        try write("{}", to: "models/tiny/config.json")
        let absolute = try locator([:]).locate(directory.appendingPathComponent("models/tiny").path)
        XCTAssertEqual(absolute.source, .folder)
        XCTAssertEqual(absolute.folder.lastPathComponent, "tiny")
        XCTAssertEqual(try locator([:]).locate("models/tiny").folder.path, absolute.folder.path)
        // A `~` that reaches the program was quoted past the shell: the folder named `~` here, not HOME's.
        try write("{}", to: "~/models/tiny/config.json")
        XCTAssertEqual(try locator(["HOME": directory.path]).locate("~/models/tiny").folder.path,
                       directory.appendingPathComponent("~/models/tiny").standardizedFileURL.path)

        try write("x", to: "models/empty/notes.txt")
        assertFormatError(try locator([:]).locate("models/empty")) {
            if case .modelFolderWithoutConfig(let folder) = $0 { return folder.hasSuffix("models/empty") }
            return false
        }
        assertFormatError(try locator([:]).locate("./missing")) {
            if case .modelPathNotFound(let path) = $0 { return path.hasSuffix("missing") } else { return false }
        }
    }

    func testHubIDShape() {
        XCTAssertTrue(ModelLocator.isHubID("gpt2"))
        XCTAssertTrue(ModelLocator.isHubID("EleutherAI/pythia-70m.v1_0"))
        XCTAssertFalse(ModelLocator.isHubID("a/b/c"))
        XCTAssertFalse(ModelLocator.isHubID("../gpt2"))
        XCTAssertFalse(ModelLocator.isHubID("/abs"))
        XCTAssertFalse(ModelLocator.isHubID("org--x/y"))
        XCTAssertFalse(ModelLocator.isHubID("café"))
    }
}

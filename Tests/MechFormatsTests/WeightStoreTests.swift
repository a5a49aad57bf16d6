import Foundation
import XCTest
@testable import MechFormats

final class WeightStoreTests: TemporaryDirectoryTestCase {
    private func writeShards() throws {
        var first = SafetensorsTestFile()
        first.addF32("wte.weight", shape: [2, 2], values: [1, 2, 3, 4])
        first.add16("h.0.ln_1.weight", dtype: "BF16", shape: [2], bits: [0x3F80, 0x4000])
        try write(first.bytes(), to: "model-00001-of-00002.safetensors")
        var second = SafetensorsTestFile()
        second.addF32("h.0.attn.c_attn.weight", shape: [3], values: [5, 6, 7])
        try write(second.bytes(), to: "model-00002-of-00002.safetensors")
    }

    private func writeIndex(_ weightMap: [String: String]) throws {
        let members = weightMap.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }
        try write("{\"metadata\": {\"total_size\": 32}, \"weight_map\": {\(members.joined(separator: ", "))}}",
                  to: WeightStore.indexFileName)
    }

    private let fullMap = [
        "wte.weight": "model-00001-of-00002.safetensors",
        "h.0.ln_1.weight": "model-00001-of-00002.safetensors",
        "h.0.attn.c_attn.weight": "model-00002-of-00002.safetensors",
    ]

    func testSingleFile() throws {
        var file = SafetensorsTestFile()
        file.addF32("a", shape: [2], values: [1, 2])
        file.add16("b", dtype: "F16", shape: [1], bits: [0x3C00])
        try write(file.bytes(), to: "model.safetensors")
        let store = try WeightStore(folder: directory)
        XCTAssertFalse(store.isSharded)
        XCTAssertEqual(store.names, ["a", "b"])
        XCTAssertEqual(try store.tensor(named: "a").scalars, [1, 2])
        XCTAssertEqual(try store.tensor(named: "b").scalars, [1])
        XCTAssertEqual(store.files.map(\.url.lastPathComponent), ["model.safetensors"])
        XCTAssertEqual(store.totalBytes, 10)
        XCTAssertEqual(store.dtypes, [WeightStore.DTypeSummary(dtype: .f32, tensorCount: 1, byteCount: 8),
                                      WeightStore.DTypeSummary(dtype: .f16, tensorCount: 1, byteCount: 2)])
    }

    func testShardedRoundTrip() throws {
        try writeShards()
        try writeIndex(fullMap)
        let store = try WeightStore(folder: directory)
        XCTAssertTrue(store.isSharded)
        XCTAssertEqual(store.names, ["h.0.attn.c_attn.weight", "h.0.ln_1.weight", "wte.weight"])
        XCTAssertEqual(try store.tensor(named: "wte.weight").scalars, [1, 2, 3, 4])
        XCTAssertEqual(try store.tensor(named: "h.0.ln_1.weight").scalars, [1, 2])
        XCTAssertEqual(try store.tensor(named: "h.0.attn.c_attn.weight").scalars, [5, 6, 7])
        XCTAssertEqual(store.info(named: "h.0.ln_1.weight")?.dtype, .bf16)
        XCTAssertEqual(store.fileURL(containing: "wte.weight")?.lastPathComponent, "model-00001-of-00002.safetensors")
        XCTAssertEqual(store.files.map(\.url.lastPathComponent),
                       ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])
        for file in store.files {
            XCTAssertEqual(file.size, try FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int)
        }
        XCTAssertEqual(store.totalBytes, 16 + 4 + 12)
        XCTAssertEqual(store.dtypes.map(\.dtype), [.f32, .bf16])
        XCTAssertEqual(store.dtypes.first?.tensorCount, 2)
    }

    func testMissingShardFile() throws {
        try writeShards()
        var map = fullMap
        map["lm_head.weight"] = "model-00003-of-00003.safetensors"
        try writeIndex(map)
        let error = assertFormatError(try WeightStore(folder: directory)) {
            if case .missingShard(_, "model-00003-of-00003.safetensors", "lm_head.weight") = $0 { return true }
            return false
        }
        XCTAssertEqual(error?.description.contains(directory.path), true)
    }

    func testIndexListsTensorAbsentFromItsShard() throws {
        try writeShards()
        var map = fullMap
        map["wte.weight"] = "model-00002-of-00002.safetensors"
        try writeIndex(map)
        assertFormatError(try WeightStore(folder: directory)) {
            if case .tensorNotInShard(_, "wte.weight", "model-00002-of-00002.safetensors") = $0 { return true }
            return false
        }
    }

    func testIndexShardNameOutsideFolderIsRejected() throws {
        try writeShards()
        try writeIndex(["wte.weight": "../model-00001-of-00002.safetensors"])
        assertFormatError(try WeightStore(folder: directory)) {
            if case .invalidShardIndex = $0 { return true } else { return false }
        }
        try write("{\"weight_map\": [1]}", to: WeightStore.indexFileName)
        assertFormatError(try WeightStore(folder: directory)) {
            if case .invalidShardIndex(_, "'weight_map' must be an object, found array") = $0 { return true }
            return false
        }
    }

    func testMissingTensorNamesFolderAndSuggests() throws {
        try writeShards()
        try writeIndex(fullMap)
        let store = try WeightStore(folder: directory)
        let error = assertFormatError(try store.tensor(named: "h.0.ln_2.weight")) {
            if case .missingTensor("h.0.ln_2.weight", let location, let suggestions) = $0 {
                return location == self.directory.path && suggestions.first == "h.0.ln_1.weight"
            }
            return false
        }
        XCTAssertEqual(error?.description,
                       "no tensor 'h.0.ln_2.weight' in \(directory.path); similar names: h.0.ln_1.weight, "
                           + "wte.weight, h.0.attn.c_attn.weight")
    }

    func testFolderWithoutSafetensors() throws {
        try write([0], to: "pytorch_model.bin")
        let error = assertFormatError(try WeightStore(folder: directory)) {
            if case .noWeightFiles(_, ["pytorch_model.bin"]) = $0 { return true } else { return false }
        }
        XCTAssertEqual(error?.description.contains("pytorch_model.bin"), true)
    }

    func testEditDistance() {
        XCTAssertEqual(NameSuggestions.editDistance(Array("kitten".utf8), Array("sitting".utf8)), 3)
        XCTAssertEqual(NameSuggestions.editDistance([], Array("abc".utf8)), 3)
        XCTAssertEqual(NameSuggestions.closest(to: "wte", among: ["wpe", "wte.weight", "ln_f"], limit: 2), ["wte.weight", "wpe"])
    }
}

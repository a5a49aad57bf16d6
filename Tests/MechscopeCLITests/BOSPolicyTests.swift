import Foundation
import MechTestSupport
import XCTest

/// The one BOS policy through the binary: by default a prompt gets the tokens `transformers`'
/// `tokenizer(prompt)` gives (the post-processor's BOS and other specials, none for GPT-2), unless
/// config.json's `prepend_bos` says otherwise; `--prepend-bos` / `--no-prepend-bos` override without
/// ever doubling BOS; `run` says which choice was used and why.
final class BOSPolicyTests: XCTestCase {
    private var scratchFolder: ScratchFolder!

    override func setUpWithError() throws { scratchFolder = try ScratchFolder(prefix: "mechscope-bos") }
    override func tearDownWithError() throws { scratchFolder.remove() }

    /// transformers' `PreTrainedTokenizerFast(tokenizer_file="samples/induction-2l/tokenizer.json")(prompt)`
    /// for the sample's first prompt (BOS 0 from its TemplateProcessing).
    private static let inductionIDs = [0, 449, 465, 221, 58, 266, 66, 1508, 84, 63, 70, 307, 66, 78, 323, 332, 258, 1984, 259, 735,
                                       313, 800, 259, 477, 14, 481, 780, 221, 58, 266, 66, 1508, 84, 63, 70, 307, 66, 78, 323, 332]

    private func run(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> (ids: [Int], bos: Bool, why: String) {
        let json = try runMechscopeJSONObject(["run"] + args + ["--json"], file: file, line: line)
        return (try XCTUnwrap(json["token_ids"] as? [Int], file: file, line: line),
                try XCTUnwrap(json["prepend_bos"] as? Bool, file: file, line: line),
                try XCTUnwrap(json["bos"] as? String, file: file, line: line))
    }

    func testTheSampleRunsWithTheBOSItsTokenizerAdds() throws {
        let plain = try run([])
        XCTAssertEqual(plain.ids, Self.inductionIDs)
        XCTAssertEqual(plain.bos, true)
        XCTAssertEqual(plain.why, "BOS added by the tokenizer's post-processor")
        let asked = try run(["--prepend-bos"])
        XCTAssertEqual(asked.ids, Self.inductionIDs, "no second BOS")
        XCTAssertEqual(asked.why, "BOS: --prepend-bos")
        let without = try run(["--no-prepend-bos"])
        XCTAssertEqual(without.ids, Array(Self.inductionIDs.dropFirst()))
        XCTAssertEqual(without.bos, false)
        XCTAssertEqual(without.why, "no BOS: --no-prepend-bos")

        let text = try MechscopeProcess.run(["run"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("40 tokens: [<|endoftext|>][The]"), text.stdout)
        XCTAssertTrue(text.stdout.contains("\nBOS added by the tokenizer's post-processor\n"), text.stdout)

        // Ids given are kept; BOS goes first only when the policy adds one and it is not there yet.
        XCTAssertEqual(try run(["--prompt-ids", "45 89"]).ids, [0, 45, 89])
        XCTAssertEqual(try run(["--prompt-ids", "0 45 89"]).ids, [0, 45, 89])
        XCTAssertEqual(try run(["--prompt-ids", "45 89", "--no-prepend-bos"]).ids, [45, 89])
    }

    /// Every prompt-taking command resolves the same way: lens and heads report the resolved choice.
    func testOtherCommandsFollowThePolicy() throws {
        for command in [["lens"], ["heads"], ["dla", "--answer", "#1"]] {
            let json = try runMechscopeJSONObject(command + ["--json"])
            XCTAssertEqual(json["token_ids"] as? [Int], Self.inductionIDs, "\(command[0])")
            XCTAssertEqual(json["prepend_bos"] as? Bool, true, "\(command[0])")
            let without = try runMechscopeJSONObject(command + ["--no-prepend-bos", "--json"])
            XCTAssertEqual(without["token_ids"] as? [Int], Array(Self.inductionIDs.dropFirst()), "\(command[0])")
            XCTAssertEqual(without["prepend_bos"] as? Bool, false, "\(command[0])")
        }
        // The explorer's title says BOS or no BOS, as resolved.
        for (flags, title) in [([String](), "40 tok, BOS"), (["--no-prepend-bos"], "39 tok, no BOS")] {
            let outcome = try MechscopeProcess.run(["snapshot", "--full", "--view", "atlas"] + flags)
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stdout.contains(title), "\(flags): \(outcome.stdout.prefix(300))")
        }
    }

    /// llama-tiny with a family tokenizer from Tests/golden/tokenizers/families (`llama2`: SentencePiece BPE
    /// whose TemplateProcessing adds `<s>`, 1456 ids; `components`: `[BOS] $A [EOS]`, 491 ids), its
    /// embedding and unembedding widened when the tokenizer has more ids than the model's 512.
    private func llama(withTokenizer family: String, ids: Int) throws -> ModelFolderCopy {
        let copy = try ModelFolderCopy(of: GoldenFixtures.modelFolder("llama-tiny"), in: scratchFolder.url, name: "llama-\(family)")
        for file in ["tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt"] {
            try FileManager.default.removeItem(at: copy.url.appendingPathComponent(file))
        }
        try FileManager.default.copyItem(at: GoldenFixtures.root.appendingPathComponent("tokenizers/families/\(family)/tokenizer.json"),
                                         to: copy.url.appendingPathComponent("tokenizer.json"))
        let vocab = max(ids, 512), width = 64
        if vocab > 512 {
            for name in ["model.embed_tokens.weight", "lm_head.weight"] {
                let salt = Float(name.count)
                try copy.replace(name, shape: [vocab, width], values: (0..<(vocab * width)).map { 0.02 * sin(Float($0) * 0.37 + salt) })
            }
        }
        try copy.editConfig(["vocab_size": vocab, "bos_token_id": 1, "eos_token_id": 2])
        return copy
    }

    struct TokenizerCases: Decodable {
        struct Family: Decodable { let cases: [Case] }
        struct Case: Decodable { let text: String; let ids: [Int]; let ids_with_special_tokens: [Int] }
        let tokenizers: [String: Family]
    }

    private static func tokenizerCases(_ family: String) throws -> [TokenizerCases.Case] {
        try XCTUnwrap(try JSONDecoder().decode(TokenizerCases.self, from: Data(contentsOf:
            GoldenFixtures.root.appendingPathComponent("tokenizers/families/cases.json"))).tokenizers[family]?.cases)
    }

    func testALlamaStyleTokenizerAddsBOSOnce() throws {
        let model = try llama(withTokenizer: "llama2", ids: 1456).path
        let cases = try Self.tokenizerCases("llama2")
        let usable = cases.filter { !$0.ids.isEmpty && $0.ids_with_special_tokens.count <= 64 }
        var compared = 0
        for c in usable.prefix(6) {
            let label = "llama2 case \(c.text.debugDescription)"
            XCTAssertEqual(c.ids_with_special_tokens, [1] + c.ids, "\(label): the golden adds <s> only")
            let plain = try run([model, "--prompt", c.text])
            XCTAssertEqual(plain.ids, c.ids_with_special_tokens, label)
            XCTAssertEqual(plain.why, "BOS added by the tokenizer's post-processor", label)
            XCTAssertEqual(try run([model, "--prompt", c.text, "--prepend-bos"]).ids, c.ids_with_special_tokens, "\(label): no double BOS")
            let without = try run([model, "--prompt", c.text, "--no-prepend-bos"])
            XCTAssertEqual(without.ids, c.ids, label)
            XCTAssertEqual(without.bos, false, label)
            compared += 1
        }
        XCTAssertEqual(compared, 6)
        XCTAssertEqual(try run([model, "--prompt-ids", "1 1087 1144"]).ids, [1, 1087, 1144], "ids already starting with BOS")
    }

    /// EOS a post-processor appends follows the tokenizer whatever the BOS choice.
    func testEOSFromTheTemplateStays() throws {
        let model = try llama(withTokenizer: "components", ids: 491).path
        let c = try XCTUnwrap(try Self.tokenizerCases("components").first { $0.text == "hello world" })
        XCTAssertEqual(c.ids_with_special_tokens, [1] + c.ids + [2], "the golden is [BOS] $A [EOS]")
        let plain = try run([model, "--prompt", c.text])
        XCTAssertEqual(plain.ids, c.ids_with_special_tokens)
        XCTAssertEqual(plain.why, "BOS added by the tokenizer's post-processor")
        XCTAssertEqual(try run([model, "--prompt", c.text, "--prepend-bos"]).ids, c.ids_with_special_tokens)
        XCTAssertEqual(try run([model, "--prompt", c.text, "--no-prepend-bos"]).ids, c.ids + [2])
    }

    func testAGPT2StyleTokenizerAddsNone() throws {
        let model = GoldenFixtures.modelFolder("gpt2-tiny-a").path
        // transformers' PreTrainedTokenizerFast(tokenizer_file=…/gpt2-tiny-a/tokenizer.json)("Hello world, the cat sat.")
        let ids = [39, 68, 75, 357, 481, 326, 11, 260, 282, 278, 265, 278, 13]
        let plain = try run([model, "--prompt", "Hello world, the cat sat."])
        XCTAssertEqual(plain.ids, ids)
        XCTAssertEqual(plain.bos, false)
        XCTAssertEqual(plain.why, "no BOS: the tokenizer adds none")
        let asked = try run([model, "--prompt", "Hello world, the cat sat.", "--prepend-bos"])
        XCTAssertEqual(asked.ids, [511] + ids)
        XCTAssertEqual(asked.why, "BOS: --prepend-bos")
        XCTAssertEqual(try run([model, "--prompt", "Hello world, the cat sat.", "--no-prepend-bos"]).ids, ids)
    }

    /// Mechscope's own `prepend_bos` key is explicit and wins over the tokenizer, both ways.
    func testConfigPrependBOSWins() throws {
        let sample = try ModelFolderCopy(of: ModelFolderCopy.sample("induction-2l"), in: scratchFolder.url)
        try sample.editConfig(["prepend_bos": false])
        let off = try run([sample.path])
        XCTAssertEqual(off.ids, Array(Self.inductionIDs.dropFirst()))
        XCTAssertEqual(off.why, "no BOS: config prepend_bos is false")
        XCTAssertEqual(try run([sample.path, "--prepend-bos"]).ids, Self.inductionIDs)

        let gpt2 = try ModelFolderCopy(of: GoldenFixtures.modelFolder("gpt2-tiny-a"), in: scratchFolder.url)
        try gpt2.editConfig(["prepend_bos": true])
        let on = try run([gpt2.path, "--prompt", "Hello"])
        XCTAssertEqual(on.ids.first, 511)
        XCTAssertEqual(on.why, "BOS from config prepend_bos")
    }

    func testConflictingFlagsAreOneLineErrors() throws {
        let both = ["--prepend-bos", "--no-prepend-bos"]
        let commands: [[String]] = [["run"], ["lens"], ["dla"], ["heads"], ["ablate", "--answer", "#1", "--wrong", "#2"],
                                    ["circuit", "--head", "L1H0"], ["dump", "--out", scratchFolder.url.appendingPathComponent("d").path], ["snapshot"], ["explore"], ["bench-explorer"],
                                    ["patch", "--clean", "a b", "--corrupted", "a c", "--answer", "#1", "--wrong", "#2"]]
        for command in commands {
            try assertFailsInOneLine(command + both, mentions: ["--prepend-bos and --no-prepend-bos conflict"])
        }
        // A BOS asked for on a model that names none (the modular-addition sample) is one line too.
        try assertFailsInOneLine(["run", ModelFolderCopy.sample("modadd-1l").path, "--prepend-bos"],
                                 mentions: ["config.json: 'bos_token_id' is missing", "no BOS token to put first (BOS: --prepend-bos)"])
    }
}

import MechAnalysis
import MechModels
import MechTestSupport
import XCTest
@testable import MechTUI

/// The explorer on a BERT encoder (Tests/golden/models/bert-tiny): attention views, neurons and the
/// head scores defined without causality; the pages that read next-token logits say in one line why
/// they do not apply, and the metrics and keys that need an LM head or causality are refused.
final class EncoderExplorerTests: XCTestCase {
    private let prompt = "The quick brown fox jumps over the lazy dog."

    private func explorer() throws -> (HeadlessExplorer, AnalysisSession) {
        let session = AnalysisSession(model: try LoadedModel(folder: GoldenFixtures.modelFolder("bert-tiny")))
        return (HeadlessExplorer(session: session, prompt: prompt, width: 120, height: 40), session)
    }

    func testAtlasShowsOnlyMetricsDefinedWithoutCausality() throws {
        let (explorer, session) = try explorer()
        XCTAssertEqual(explorer.state.metric, .previousToken)
        XCTAssertTrue(explorer.screen.contains("Head atlas — previous-token score"), explorer.screen)
        // The tokenizer wraps the prompt in [CLS] … [SEP]; the title says so instead of "no BOS".
        let title = String(explorer.screen.split(separator: "\n")[0])
        XCTAssertTrue(title.contains("bert-tiny · 2L×4H") && title.contains("Head atlas · 12 tok, [CLS] … [SEP] │ \"The quick"), title)
        let tokens = try session.tokenize(prompt, prependBOS: false)
        XCTAssertEqual(tokens.first, 2, "[CLS] first")
        let scores = try HeadPatternScores.compute(session.model.transformer, tokens: tokens)
        let row = explorer.screen.split(separator: "\n").first { $0.contains("│L1  ") }!
        for h in 0..<4 {
            XCTAssertTrue(row.contains(String(format: "%.2f", scores.previousToken[4 + h])), "L1H\(h) in \(row)")
        }
        var cycled: [HeadMetric] = []
        for _ in 0..<4 {
            cycled.append(explorer.state.metric)
            explorer.press(.char("m"))
        }
        XCTAssertEqual(cycled, [.previousToken, .duplicateToken, .entropy, .previousToken])
        explorer.command("metric induction")
        XCTAssertEqual(explorer.state.message?.text, "induction assumes causal attention, and this bert encoder attends in both directions")
        XCTAssertEqual(explorer.state.message?.isError, true)
        explorer.command("metric ov-copying")
        XCTAssertEqual(explorer.state.message?.text, "ov-copying reads the LM head, and this bert encoder has none")
        explorer.command("metric copying-ov")
        XCTAssertEqual(explorer.state.message?.text, ":metric 'copying-ov': expected prev-token, dup-token, entropy",
                       "only the metrics the encoder can show are named")
    }

    /// Tab offers only what the open model can show: on the encoder no causal or LM-head metric and
    /// none of the next-token pages; on a decoder every one of them.
    func testCompletionOffersOnlyWhatTheModelCanShow() throws {
        let (encoder, _) = try explorer()
        XCTAssertEqual(complete(encoder, "metric "), .listed("metric prev-token  metric dup-token  metric entropy"))
        XCTAssertEqual(complete(encoder, "metric i"), .line("metric i"), "induction and induction-rand are not offered")
        XCTAssertEqual(complete(encoder, "metric o"), .line("metric o"), "ov-copying is not offered")
        XCTAssertEqual(complete(encoder, "metric d"), .line("metric dup-token "), "dla is not offered")
        XCTAssertEqual(complete(encoder, "l"), .line("layer "), "neither lens nor logits")
        XCTAssertEqual(complete(encoder, "f"), .line("f"), "neither final nor fourier nor features")
        XCTAssertEqual(complete(encoder, "d"), .line("d"), "no dla")
        XCTAssertEqual(complete(encoder, "patch "), .line("patch "), "no patching target")
        XCTAssertEqual(complete(encoder, "abl"), .line("abl"), "neither the ablations page nor ablate")
        XCTAssertEqual(complete(encoder, "an"), .line("an"), "no answer token without an LM head")
        XCTAssertEqual(complete(encoder, "wr"), .line("wr"), "no wrong token")
        XCTAssertEqual(complete(encoder, "corr"), .line("corr"), "no corrupted prompt")
        let decoderSession = AnalysisSession(model: try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-a")))
        let decoder = HeadlessExplorer(session: decoderSession, prompt: prompt, width: 200, height: 40)
        XCTAssertEqual(complete(decoder, "metric "),
                       .listed(HeadMetric.allCases.map { "metric " + $0.rawValue }.joined(separator: "  ")))
        XCTAssertEqual(complete(decoder, "metric d"), .listed("metric dup-token  metric dla"))
        XCTAssertEqual(complete(decoder, "l"), .listed("layer  lens  logits"))
        XCTAssertEqual(complete(decoder, "ablat"), .listed("ablations  ablate"))
        XCTAssertEqual(complete(decoder, "an"), .line("answer "))
        XCTAssertEqual(complete(decoder, "corr"), .line("corrupt "))
        XCTAssertEqual(complete(decoder, "f"), .line("final "), "no Fourier story, not a toy model")
        XCTAssertEqual(complete(decoder, "patch "),
                       .listed(PatchingTarget.allCases.map { "patch " + $0.rawValue }.joined(separator: "  ")))
    }

    private enum Completed: Equatable { case line(String), listed(String) }

    /// Types `:text`, presses Tab: the completed line, or the options listed in the status line.
    private func complete(_ explorer: HeadlessExplorer, _ text: String) -> Completed {
        explorer.type(":" + text)
        let before = explorer.state.message
        explorer.press(.tab)
        defer { explorer.press(.escape) }
        guard case .command(let editor) = explorer.state.mode else { return .line("left the command line") }
        if let listed = explorer.state.message, listed != before, editor.text == text { return .listed(listed.text) }
        return .line(editor.text)
    }

    /// The status line hints only keys that work here: ablation needs an LM head, BOS a BOS token.
    func testStatusLineHintsLeaveOutKeysThatWouldBeRefused() throws {
        let (encoder, _) = try explorer()
        let encoderStatus = String(encoder.screen.split(separator: "\n").last ?? "")
        XCTAssertTrue(encoderStatus.contains("m next metric"), encoderStatus)
        XCTAssertFalse(encoderStatus.contains("x zero-ablate"), encoderStatus)
        let decoderSession = AnalysisSession(model: try LoadedModel(folder: GoldenFixtures.modelFolder("gpt2-tiny-a")))
        let decoder = HeadlessExplorer(session: decoderSession, prompt: prompt, width: 200, height: 40)
        let decoderStatus = String(decoder.screen.split(separator: "\n").last ?? "")
        XCTAssertTrue(decoderStatus.contains("x zero-ablate"), decoderStatus)
        // modadd-1l has no BOS token: B says so instead of failing the run.
        let modadd = AnalysisSession(model: try LoadedModel(folder: GoldenFixtures.sampleFolder("modadd-1l")))
        let noBOS = HeadlessExplorer(session: modadd, prompt: "12 45 =", width: 120, height: 40)
        XCTAssertFalse(noBOS.state.prependBOS)
        noBOS.press(.char("B"))
        XCTAssertEqual(noBOS.state.message?.isError, true)
        XCTAssertTrue(noBOS.state.message?.text.hasSuffix("has no BOS token (no bos_token_id), so none can go first") == true,
                      noBOS.state.message?.text ?? "no message")
        XCTAssertFalse(noBOS.state.prependBOS)
    }

    func testNextTokenPagesSayTheyDoNotApply() throws {
        let (explorer, _) = try explorer()
        for (command, title) in [("lens", "Logit lens"), ("logits", "Next token"), ("dla", "Direct logit attribution"),
                                 ("final", "Final norm"), ("patch", "Activation patching")] {
            explorer.command(command)
            let lines = explorer.mainText.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            XCTAssertEqual(lines, ["\(title) does not apply: a bert encoder has no LM head (no next-token logits)"],
                           command)
        }
        XCTAssertFalse(explorer.state.navigator.rows.contains(.lens))
        XCTAssertFalse(explorer.state.navigator.rows.contains(.unembed))
    }

    func testHeadsNeuronsAndEmbeddingsOpen() throws {
        let (explorer, _) = try explorer()
        explorer.command("head L1H2")
        let head = explorer.mainText
        XCTAssertTrue(head.contains("L1H2 pattern"), head)
        XCTAssertTrue(head.contains("prev ") && head.contains("dup ") && head.contains("entropy "), head)
        XCTAssertFalse(head.contains("ind "), "no induction score on an encoder: \(head)")
        XCTAssertTrue(head.contains("OV/QK: no LM head (bert encoder)"), head)
        // Bidirectional: the first query attends to later keys, so its row is not all on key 0.
        let pattern = explorer.state.run!.result.cache[.pattern(1)]!
        XCTAssertLessThan(pattern.pointer[2 * 12 * 12], 0.999)
        explorer.command("neuron L0N3")
        XCTAssertTrue(explorer.mainText.contains("output weights W_out·W_U: not for a bert encoder (no LM head)"), explorer.mainText)
        XCTAssertTrue(explorer.mainText.contains("activation by token"), explorer.mainText)
        explorer.command("embed")
        XCTAssertTrue(explorer.mainText.contains("word and position embeddings, before the embedding LayerNorm"), explorer.mainText)
        XCTAssertFalse(explorer.mainText.contains("—"), "every norm filled in: \(explorer.mainText)")
    }

    func testAblationIsRefusedInOneLine() throws {
        let (explorer, _) = try explorer()
        explorer.command("atlas")
        explorer.press(.char("x"))
        XCTAssertEqual(explorer.state.message?.text, "Ablations does not apply: a bert encoder has no LM head (no next-token logits)")
        XCTAssertTrue(explorer.state.ablations.isEmpty)
        explorer.command("ablate L0H1")
        XCTAssertEqual(explorer.state.message?.isError, true)
        XCTAssertTrue(explorer.state.ablations.isEmpty)
        explorer.command("ablate")           // alone it opens the ablations page, which says it does not apply
        XCTAssertEqual(explorer.state.page, .ablations)
        XCTAssertEqual(explorer.mainText.split(separator: "\n").first.map(String.init),
                       "Ablations does not apply: a bert encoder has no LM head (no next-token logits)")
    }

    /// An answer, a wrong token or a corrupted prompt means nothing without next-token logits: one line, no change.
    func testTokenChoicesAreRefusedInOneLine() throws {
        let (explorer, _) = try explorer()
        for command in ["answer the", "wrong the", "corrupt a different prompt", "corrupt"] {
            explorer.command(command)
            let name = command.split(separator: " ")[0]
            XCTAssertEqual(explorer.state.message?.text, ":\(name) needs next-token logits, and a bert encoder has no LM head", command)
            XCTAssertEqual(explorer.state.message?.isError, true, command)
        }
        XCTAssertNil(explorer.state.answer)
        XCTAssertNil(explorer.state.wrong)
        XCTAssertNil(explorer.state.corruptedPrompt)
    }
}

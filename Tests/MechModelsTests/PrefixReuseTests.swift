import Foundation
import MechTensor
import MechTestSupport
import XCTest
@testable import MechModels

/// A pass resumed from a cached run at (block, position) must give what a full run with the same
/// edits gives, so patching sweeps can skip what a patch cannot reach.
///
/// Resumed at position 0 the pass multiplies matrices of exactly the full run's shapes, so it must
/// match bit for bit. Resumed later, its products have fewer rows, and OpenBLAS (Debian's 0.3.21)
/// picks kernels and small-matrix paths by matrix height, so a row can round differently; those
/// results are compared at float32 rounding: 1e-5 relative to max(1, |value|) (the observed
/// differences are ≤ 2e-6 on logits of order 1). A wrong mask or key/value prefix would be off by
/// far more: every patch compared here visibly changes the output.
final class PrefixReuseTests: XCTestCase {
    private func assertRoundingClose(_ a: Tensor, _ b: Tensor, _ label: String,
                                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, label, file: file, line: line)
        let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-5, label, file: file, line: line)
    }

    private func model(_ name: String) throws -> LoadedModel {
        try LoadedModel(folder: GoldenFixtures.modelFolder(name))
    }

    /// Seeded token ids (no tokenizer involved).
    private func tokens(_ count: Int, vocab: Int, seed: UInt64) -> [Int] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(vocab))
        }
    }

    /// Resuming without edits reproduces the base run's logits for the recomputed positions, at
    /// every block and position (bit for bit from position 0).
    func testResumingWithoutEditsReproducesTheRun() throws {
        for name in ["gpt2-tiny-a", "gpt2-tiny-b"] {
            let m = try model(name)
            let ids = tokens(19, vocab: m.config.vocabSize, seed: 7)
            let base = try m.transformer.run(ids)
            for layer in 0..<m.config.nLayers {
                for position in [0, 1, 9, 18] {
                    let resumed = try m.transformer.resume(from: base, layer: layer, position: position)
                    XCTAssertEqual(resumed.logits.shape, [19 - position, m.config.vocabSize])
                    let label = "\(name) resumed at block \(layer), position \(position)"
                    let bare = try m.transformer.resume(from: base, layer: layer, position: position, computeLogits: false)
                    XCTAssertEqual(bare.logits.shape, [19 - position, 0])
                    XCTAssertEqual(bare.finalResidual.scalars, resumed.finalResidual.scalars)
                    let last = m.transformer.unembed(bare.finalResidual.rows((18 - position)..<(19 - position)))
                    if position == 0 {
                        XCTAssertEqual(resumed.logits.scalars, base.logits.scalars, label)
                    } else {
                        assertRoundingClose(resumed.logits, base.logits.rows(position..<19), label)
                    }
                    // One row through the unembedding is a product of another height, too.
                    assertRoundingClose(last, base.logits.rows(18..<19), label)
                }
            }
        }
    }

    /// Patching one position of another run's activations in, resumed there, equals the full
    /// patched run, for resid_pre, attn_out, mlp_out and one head's z (bit for bit from position 0).
    func testResumedPatchEqualsTheFullPatchedRun() throws {
        for name in ["gpt2-tiny-a", "gpt2-tiny-b"] {
            let m = try model(name)
            let a = tokens(17, vocab: m.config.vocabSize, seed: 11)
            var b = a
            b[0] = (a[0] + 3) % m.config.vocabSize
            b[6] = (a[6] + 1) % m.config.vocabSize
            b[12] = (a[12] + 5) % m.config.vocabSize
            let runA = try m.transformer.run(a), runB = try m.transformer.run(b)
            for layer in 0..<m.config.nLayers {
                for position in [0, 6, 9, 16] {
                    for hook in [HookPoint.residPre(layer), .attnOut(layer), .mlpOut(layer)] {
                        let source = runB.cache[hook]!
                        let full = try m.transformer.run(a, interventions: [.patch(hook, from: source, positions: [position])])
                        let resumed = try m.transformer.resume(
                            from: runA, layer: layer, position: position,
                            interventions: [.patch(hook, from: source.rows(position..<17), positions: [0])],
                            caching: .only([.residPost(layer)]))
                        let label = "\(name) \(hook.name) at position \(position)"
                        // The cache holds the recomputed rows only.
                        let post = resumed.cache[.residPost(layer)]!, fullPost = full.cache[.residPost(layer)]!.rows(position..<17)
                        if position == 0 {
                            XCTAssertEqual(resumed.logits.scalars, full.logits.scalars, label)
                            XCTAssertEqual(post.scalars, fullPost.scalars, label)
                        } else {
                            assertRoundingClose(resumed.logits, full.logits.rows(position..<17), label)
                            assertRoundingClose(post, fullPost, label)
                        }
                        // The patch matters (a cell that changed nothing would prove nothing), except for
                        // block 0's resid_pre where the tokens agree: it is the token's embedding.
                        if !(hook == .residPre(0) && a[position] == b[position]) {
                            XCTAssertNotEqual(full.logits.row(position).scalars, runA.logits.row(position).scalars, label)
                        }
                    }
                }
                let z = runB.cache[.z(layer)]!
                let full = try m.transformer.run(a, interventions: [.patchHead(layer: layer, head: 1, from: z)])
                let fromStart = try m.transformer.resume(from: runA, layer: layer, position: 0,
                                                         interventions: [.patchHead(layer: layer, head: 1, from: z)])
                XCTAssertEqual(fromStart.logits.scalars, full.logits.scalars, "\(name) head patch L\(layer)")
                // With prompts that agree before position 6, a head's z agrees there too, so the
                // patched run may start at 6.
                var c = b
                c[0] = a[0]
                let zC = try m.transformer.run(c).cache[.z(layer)]!
                let fullC = try m.transformer.run(a, interventions: [.patchHead(layer: layer, head: 1, from: zC)])
                let resumed = try m.transformer.resume(from: runA, layer: layer, position: 6,
                                                       interventions: [.patchHead(layer: layer, head: 1, from: zC.rows(6..<17))])
                assertRoundingClose(resumed.logits, fullC.logits.rows(6..<17), "\(name) head patch L\(layer) from 6")
            }
        }
    }

    func testResumeRejectsMissingCachesBadPointsAndUnreachableEdits() throws {
        let m = try model("gpt2-tiny-a")
        let ids = tokens(8, vocab: m.config.vocabSize, seed: 3)
        let onlyResid = try m.transformer.run(ids, caching: .only([.residPre(1)]))
        XCTAssertThrowsError(try m.transformer.resume(from: onlyResid, layer: 1, position: 2)) {
            XCTAssertEqual($0 as? PrefixReuseError, .missingActivation(hook: "blocks.1.attn.hook_k"))
        }
        XCTAssertNoThrow(try m.transformer.resume(from: onlyResid, layer: 1, position: 0))
        XCTAssertThrowsError(try m.transformer.resume(from: onlyResid, layer: 0, position: 0)) {
            XCTAssertEqual($0 as? PrefixReuseError, .missingActivation(hook: "blocks.0.hook_resid_pre"))
        }
        let base = try m.transformer.run(ids)
        XCTAssertThrowsError(try m.transformer.resume(from: base, layer: 2, position: 0)) {
            XCTAssertEqual($0 as? PrefixReuseError, .resumePointOutOfRange(layer: 2, position: 0, layers: 2, tokens: 8))
        }
        XCTAssertThrowsError(try m.transformer.resume(from: base, layer: 0, position: 8))
        XCTAssertThrowsError(try m.transformer.resume(from: base, layer: 1, position: 0,
                                                      interventions: [.zeroHead(layer: 0, head: 1)])) {
            XCTAssertEqual($0 as? PrefixReuseError, .editBeforeResumePoint(hook: "blocks.0.attn.hook_z", layer: 1))
            XCTAssertEqual("\($0)".split(separator: "\n").count, 1)
        }
        var calls = 0
        XCTAssertThrowsError(try m.transformer.resume(from: base, layer: 0, position: 3, shouldContinue: {
            calls += 1
            return calls < 2
        })) { XCTAssertEqual($0 as? ModelError, .cancelled) }
    }
}

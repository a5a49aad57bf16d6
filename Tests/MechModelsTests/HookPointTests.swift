import XCTest
@testable import MechModels

final class HookPointTests: XCTestCase {
    func testEveryHookNameRoundTrips() {
        let hooks = HookPoint.all(layers: 3, attnOnly: false, hasLayerNorm: true) + [.result(2)]
        XCTAssertEqual(hooks.count, 2 + 3 * 17 + 2 + 1)  // embeds, 17 per block, ln_final, one hook_result
        for hook in hooks {
            XCTAssertEqual(HookPoint(name: hook.name), hook, hook.name)
        }
        XCTAssertEqual(HookPoint.pattern(1).name, "blocks.1.attn.hook_pattern")
        XCTAssertEqual(HookPoint.ln2Normalized(0).name, "blocks.0.ln2.hook_normalized")
        XCTAssertEqual(HookPoint(name: "ln_final.hook_scale"), .lnFinalScale)
    }

    func testNonHooksAreRejected() {
        for bad in ["", "blocks", "blocks.x.hook_resid_pre", "blocks.-1.hook_resid_pre", "blocks.0.hook_nothing",
                    "hook_embed.extra", "blocks.0.attn.hook_pattern.x", "logits"] {
            XCTAssertNil(HookPoint(name: bad), bad)
        }
    }

    func testAttentionOnlyModelsWithoutLayerNormHaveFewerHooks() {
        let hooks = HookPoint.all(layers: 2, attnOnly: true, hasLayerNorm: false)
        XCTAssertFalse(hooks.contains(.mlpPost(0)))
        XCTAssertFalse(hooks.contains(.ln1Scale(0)))
        XCTAssertFalse(hooks.contains(.lnFinalNormalized))
        XCTAssertEqual(hooks.count, 2 + 2 * 9)
    }
}

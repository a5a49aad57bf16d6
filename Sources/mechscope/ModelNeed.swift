import MechModels

/// What a command needs of a transformer beyond running it. Encoders (BERT) have neither: their
/// attention reads every position, and they end without an LM head.
enum ModelNeed: CaseIterable {
    /// Next-token logits (lens, dla, patching and ablation metrics, OV circuits read through W_U).
    case lmHead
    /// Attention that reads only earlier positions (induction scores, resuming a pass mid-prompt).
    case causalAttention

    func isMet(by c: TransformerConfig) -> Bool {
        switch self {
        case .lmHead: return c.architecture.lmHead
        case .causalAttention: return c.architecture.attention.causal
        }
    }

    /// Throws the first unmet need of `needs` as one line naming the command and the model.
    static func check(_ needs: [ModelNeed], _ model: LoadedModel, command: String) throws {
        guard let unmet = needs.first(where: { !$0.isMet(by: model.config) }) else { return }
        throw ModelKindError.unmetNeed(command: command, need: unmet, folder: model.folder.path,
                                       modelType: model.config.modelType)
    }
}

extension ModelOptions {
    /// Opens the transformer for `command`, refusing in one line a model that lacks what it needs.
    func open(for command: String, needs: [ModelNeed]) throws -> LoadedModel {
        let model = try open()
        try ModelNeed.check(needs, model, command: command)
        return model
    }
}

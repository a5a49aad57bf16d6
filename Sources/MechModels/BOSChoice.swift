/// Whether a prompt runs with the BOS token first: as the model's own policy says, or as the user asked.
public enum BOSChoice: Sendable, Equatable {
    /// Mechscope's `prepend_bos` in config.json when present, else what the model's tokenizer does
    /// (`transformers`' `tokenizer(prompt)`: the post-processor's template, or GGUF's `add_bos_token`).
    case modelDefault
    /// BOS first (`--prepend-bos`); never a second one when the tokenizer already adds it.
    case prepend
    /// No BOS (`--no-prepend-bos`), even when the tokenizer would add one.
    case omit

    /// `--prepend-bos` (true), `--no-prepend-bos` (false) or neither (nil).
    public init(flag: Bool?) {
        switch flag {
        case .some(true): self = .prepend
        case .some(false): self = .omit
        case .none: self = .modelDefault
        }
    }
}

/// A `BOSChoice` resolved for one model: whether the BOS token comes first, and why.
public struct BOSDecision: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The tokenizer's post-processor adds BOS (a GGUF file's `add_bos_token` when `fromGGUF`).
        case tokenizerAddsBOS(fromGGUF: Bool)
        /// The tokenizer adds no BOS (and config.json does not say).
        case tokenizerAddsNone
        /// config.json's `prepend_bos` key, Mechscope's explicit override.
        case config
        /// `--prepend-bos` / `--no-prepend-bos` (or the explorer's BOS toggle).
        case requested
    }

    public let addsBOS: Bool
    public let reason: Reason

    public init(addsBOS: Bool, reason: Reason) {
        self.addsBOS = addsBOS
        self.reason = reason
    }

    /// One phrase for reports: "BOS added by the tokenizer's post-processor", "no BOS: --no-prepend-bos".
    public var description: String {
        switch (reason, addsBOS) {
        case (.tokenizerAddsBOS(fromGGUF: false), _): return "BOS added by the tokenizer's post-processor"
        case (.tokenizerAddsBOS(fromGGUF: true), _): return "BOS added by the tokenizer (GGUF add_bos_token)"
        case (.tokenizerAddsNone, _): return "no BOS: the tokenizer adds none"
        case (.config, true): return "BOS from config prepend_bos"
        case (.config, false): return "no BOS: config prepend_bos is false"
        case (.requested, true): return "BOS: --prepend-bos"
        case (.requested, false): return "no BOS: --no-prepend-bos"
        }
    }

    /// The reason as a JSON keyword: tokenizer, config or flag.
    public var source: String {
        switch reason {
        case .tokenizerAddsBOS, .tokenizerAddsNone: return "tokenizer"
        case .config: return "config"
        case .requested: return "flag"
        }
    }
}

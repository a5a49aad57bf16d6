/// The navigator's tree: embed → layers (each opening into attention with its heads, and the MLP)
/// → final norm → unembed, plus the whole-model analyses.
public struct NavigatorState: Equatable, Sendable {
    public enum Row: Hashable, Sendable {
        case atlas, embed, layer(Int), attention(Int), head(Int, Int), mlp(Int), finalNorm, unembed, lens, attribution
        case patching

        /// The page the row shows.
        public var page: Page {
            switch self {
            case .atlas: return .atlas
            case .embed: return .embed
            case .layer(let l), .attention(let l): return .layer(l)
            case .head(let l, let h): return .head(layer: l, head: h)
            case .mlp(let l): return .neurons(layer: l)
            case .finalNorm: return .finalNorm
            case .unembed: return .logits
            case .lens: return .lens
            case .attribution: return .attribution
            case .patching: return .patching
            }
        }
    }

    public var layers = 0
    public var heads = 0
    public var hasMLP = false
    /// Whether the rows reading next-token logits (final norm, unembed, lens, attribution, patching) apply.
    public var hasLMHead = true
    public var expanded: Set<Int> = []
    public var cursor = 0
    public var scroll = 0
    /// The page that was open when the cursor began previewing rows (nil: nothing previewed).
    /// Opening a row, or leaving the navigator on a previewed page, records this one in the jump list.
    public var previewedFrom: Page?

    public init() {}

    public init(model: ModelSummary) {
        layers = model.layers
        heads = model.heads
        hasMLP = model.hasMLP
        hasLMHead = model.hasLMHead || model.isToy
    }

    /// The visible rows, top to bottom.
    public var rows: [Row] {
        var rows: [Row] = [.atlas, .embed]
        for l in 0..<layers {
            rows.append(.layer(l))
            if expanded.contains(l) {
                rows.append(.attention(l))
                rows += (0..<heads).map { .head(l, $0) }
                if hasMLP { rows.append(.mlp(l)) }
            }
        }
        if hasLMHead { rows += [.finalNorm, .unembed, .lens, .attribution, .patching] }
        return rows
    }

    public var currentRow: Row { let r = rows; return r[min(cursor, r.count - 1)] }

    /// Moves the cursor to the row that shows `page`, expanding its layer when needed.
    public mutating func reveal(_ page: Page) {
        if let l = page.layer { expanded.insert(l) }
        let target: Row
        switch page {
        case .atlas: target = .atlas
        case .embed: target = .embed
        case .layer(let l): target = .attention(l)
        case .head(let l, let h): target = .head(l, h)
        case .neurons(let l), .neuron(let l, _): target = hasMLP ? .mlp(l) : .layer(l)
        case .lens: target = .lens
        case .logits, .ablations: target = .unembed
        case .attribution: target = .attribution
        case .finalNorm: target = .finalNorm
        case .patching: target = .patching
        case .fourier: target = .embed
        case .features: target = .atlas
        }
        if let i = rows.firstIndex(of: target) { cursor = i }
    }

    /// Keeps the cursor's row inside a window of `height` rows.
    public mutating func scrollToCursor(height: Int) {
        guard height > 0 else { return }
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + height { scroll = cursor - height + 1 }
        scroll = max(0, min(scroll, max(0, rows.count - height)))
    }
}

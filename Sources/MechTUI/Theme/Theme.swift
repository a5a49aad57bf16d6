/// The explorer's colours by what they mean, not where they are used: eight semantic roles every
/// theme gives (background, text, muted, accent, selection, positive, negative, warning), a few
/// finer roles derived from them unless a theme sets them, and two gradients (sequential for
/// values ≥ 0, diverging for signed values).
public struct Theme: Equatable, Sendable {
    public enum Role: String, CaseIterable, Sendable {
        // The semantic roles a theme file is expected to give.
        case background, text, muted, accent, selection, positive, negative, warning
        // Finer roles: derived from the ones above when a theme leaves them out.
        case selectionText, title, titleBackground, status, statusBackground, border, heading, error, token, tokenBackground

        /// The eight roles every shipped theme spells out.
        public static let semantic: [Role] = [.background, .text, .muted, .accent, .selection, .positive, .negative, .warning]

        /// Older key names still read: `dim` is `muted`; `selectionBackground` is `selection`.
        public static let aliases: [String: Role] = ["dim": .muted, "selectionBackground": .selection]
    }

    public var name: String
    /// The colours the theme sets; any other role is derived (`color(_:)`).
    public var colors: [Role: RGB]
    /// Low → high, for non-negative values (attention, probability, activation ≥ 0).
    public var sequential: Gradient
    /// Negative → zero → positive, for signed values (attribution, logit differences).
    public var diverging: Gradient

    public init(name: String, colors: [Role: RGB], sequential: Gradient, diverging: Gradient) {
        self.name = name
        self.colors = colors
        self.sequential = sequential
        self.diverging = diverging
    }

    /// The colour of `role`: the theme's own, else derived from its semantic roles, else the
    /// built-in dark theme's.
    public func color(_ role: Role) -> RGB {
        if let set = colors[role] { return set }
        let bg = color(.background), fg = color(.text)
        switch role {
        case .selectionText: return color(.selection).contrasting
        case .title: return color(.accent).contrasting
        case .titleBackground: return color(.accent)
        case .status: return fg
        case .statusBackground: return bg.mixed(with: fg, 0.18)
        case .border: return bg.mixed(with: fg, 0.35)
        case .heading: return color(.accent)
        case .error: return color(.negative)
        case .token: return fg
        case .tokenBackground: return bg.mixed(with: fg, 0.14)
        default: return Theme.dark.colors[role] ?? fg
        }
    }

    /// The built-in theme (dark terminals): what `themes/dark.theme` spells out, and what any role
    /// a theme file leaves out falls back to.
    public static let dark = Theme(
        name: "dark",
        colors: [
            .background: RGB(18, 18, 18), .text: RGB(208, 208, 208), .muted: RGB(128, 128, 128),
            .accent: RGB(95, 215, 255), .selection: RGB(135, 175, 215), .positive: RGB(95, 175, 255),
            .negative: RGB(255, 95, 95), .warning: RGB(255, 175, 0),
            .selectionText: RGB(0, 0, 0), .title: RGB(255, 255, 255), .titleBackground: RGB(0, 95, 135),
            .status: RGB(208, 208, 208), .statusBackground: RGB(48, 48, 48), .border: RGB(88, 88, 88),
            .heading: RGB(255, 215, 95), .error: RGB(255, 0, 0), .token: RGB(238, 238, 238),
            .tokenBackground: RGB(58, 58, 58),
        ],
        sequential: Gradient([RGB(0, 0, 0), RGB(59, 15, 112), RGB(140, 41, 129), RGB(222, 73, 104),
                              RGB(254, 159, 109), RGB(252, 253, 191)]),
        diverging: Gradient([RGB(215, 48, 39), RGB(252, 141, 89), RGB(38, 38, 38), RGB(145, 191, 219), RGB(69, 117, 180)]))

    /// The built-in theme under its older name.
    public static var `default`: Theme { dark }
}

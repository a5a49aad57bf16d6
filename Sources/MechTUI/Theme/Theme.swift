/// The explorer's colours by what they mean, not where they are used: a small set of semantic
/// roles plus two gradients (sequential for values ≥ 0, diverging for signed values).
public struct Theme: Equatable, Sendable {
    public enum Role: String, CaseIterable, Sendable {
        case text, dim, title, titleBackground, status, statusBackground, border, selection, selectionBackground
        case accent, heading, positive, negative, warning, error, token, tokenBackground
    }

    public var name: String
    public var colors: [Role: RGB]
    /// Low → high, for non-negative values (attention, probability, activation ≥ 0).
    public var sequential: Gradient
    /// Negative → zero → positive, for signed values (attribution, logit differences).
    public var diverging: Gradient

    public func color(_ role: Role) -> RGB { colors[role] ?? Theme.default.colors[role]! }

    /// The built-in theme; theme files override any of its roles.
    public static let `default` = Theme(
        name: "default",
        colors: [
            .text: RGB(208, 208, 208), .dim: RGB(128, 128, 128), .title: RGB(255, 255, 255),
            .titleBackground: RGB(0, 95, 135), .status: RGB(208, 208, 208), .statusBackground: RGB(48, 48, 48),
            .border: RGB(88, 88, 88), .selection: RGB(0, 0, 0), .selectionBackground: RGB(135, 175, 215),
            .accent: RGB(95, 215, 255), .heading: RGB(255, 215, 95), .positive: RGB(95, 175, 255),
            .negative: RGB(255, 95, 95), .warning: RGB(255, 175, 0), .error: RGB(255, 0, 0),
            .token: RGB(238, 238, 238), .tokenBackground: RGB(58, 58, 58),
        ],
        sequential: Gradient([RGB(0, 0, 0), RGB(59, 15, 112), RGB(140, 41, 129), RGB(222, 73, 104),
                              RGB(254, 159, 109), RGB(252, 253, 191)]),
        diverging: Gradient([RGB(215, 48, 39), RGB(252, 141, 89), RGB(38, 38, 38), RGB(145, 191, 219), RGB(69, 117, 180)]))
}

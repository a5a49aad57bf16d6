/// Tab completion of head and neuron names (`:head L1H3`, `:neuron L0N5`) from the model's shape:
/// while the text leaves the layer open, the layers' stems ("L0H", "L1H", …); once one layer is
/// left, that layer's names. So a model's tens of thousands of neurons are never listed at once.
enum UnitNameCompletion {
    /// Names of `units` units in each of `layers` layers, as "L{layer}{letter}{unit}", completing `typed`
    /// (any case).
    static func names(completing typed: String, layers: Int, units: Int, letter: Character) -> [String] {
        guard layers > 0, units > 0 else { return [] }
        let text = typed.uppercased()
        let stems = (0..<layers).map { "L\($0)\(letter)" }
        let open = stems.filter { $0.hasPrefix(text) }
        let stem = open.count == 1 ? open[0] : stems.first { text.hasPrefix($0) }
        guard let stem else { return open }
        return (0..<units).map { stem + String($0) }.filter { $0.hasPrefix(text) }
    }
}

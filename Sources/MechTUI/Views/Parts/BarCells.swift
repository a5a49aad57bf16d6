/// How many cells a bar of `fraction` × `width` fills: rounded, clamped to 0…width, and 0 for NaN or
/// ±∞ (a model with non-finite weights draws an empty bar beside its `nan`, never a trap converting
/// the value to Int). Every bar the views draw goes through here.
enum BarCells {
    static func count(_ fraction: Double, of width: Int) -> Int {
        let cells = (fraction * Double(width)).rounded()
        guard cells.isFinite, width > 0 else { return 0 }
        return Int(min(Double(width), max(0, cells)))
    }
}

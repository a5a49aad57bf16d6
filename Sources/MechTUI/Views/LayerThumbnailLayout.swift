/// How the layer page tiles its heads in a main area of `width` × `height`:
///
///     title · legend                               (row 0)
///     L1H0 ind 0.22  L1H1 prev 0.10  …             a label row, then `lines` lines of half blocks
///     ▀▀▀▀▀▀▀▀▀▀▀▀   ▀▀▀▀▀▀▀▀▀▀▀▀                  (square: `size` columns × `size` query rows),
///     …                                            tiles side by side, wrapping into rows
///     cursor head's scores · hints                 (last two rows)
///
/// The largest square size that shows every head is chosen: the prompt's length, a multiple of it
/// (2×, 3×, … up to 64 columns), or less (max-pooled); below 10 columns the tiles get flatter,
/// and when even that does not fit, the tile rows scroll to keep the cursor's head in view.
struct LayerThumbnailLayout {
    static let gap = 2
    static let minimumSize = 10

    let size: Int
    let lines: Int
    let columns: Int
    let firstRow: Int
    let visibleRows: Int
    /// Rows available for tiles, from row 1.
    let area: Int

    init(width: Int, height: Int, heads: Int, tokens n: Int, cursor: Int) {
        area = max(3, height - 3)
        let heads = max(1, heads), n = max(1, n)
        let upscaled = (2...6).map { $0 * n }.filter { $0 <= min(64, width) }.reversed()
        let candidates = Array(upscaled) + Array(stride(from: min(n, 64, width), through: Self.minimumSize, by: -1))
        let shape = { (s: Int) -> (columns: Int, rows: Int) in
            let columns = max(1, min(heads, (width + Self.gap) / (s + Self.gap)))
            return (columns, (heads + columns - 1) / columns)
        }
        let area = self.area
        let fitting = candidates.first { s in
            let (_, rows) = shape(s)
            return rows * ((s + 1) / 2 + 1) + rows - 1 <= area
        }
        size = fitting ?? min(width, Self.minimumSize)
        let (columns, rows) = shape(size)
        self.columns = columns
        if fitting != nil {
            lines = (size + 1) / 2
        } else {
            lines = max(2, min((size + 1) / 2, (area + 1) / rows - 2))
        }
        visibleRows = max(1, min(rows, (area + 1) / (lines + 2)))
        let cursorRow = cursor / columns
        firstRow = max(0, min(cursorRow - visibleRows / 2, rows - visibleRows))
    }

    /// Where head `h`'s tile starts (column, row of its label), or nil when scrolled out of view.
    func origin(of h: Int) -> (x: Int, y: Int)? {
        let row = h / columns - firstRow
        guard row >= 0, row < visibleRows else { return nil }
        return ((h % columns) * (size + Self.gap), 1 + row * (lines + 2))
    }
}

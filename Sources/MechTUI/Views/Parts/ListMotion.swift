/// The vertical movements every list page shares: j/k (with counts), g/G, Ctrl-d/u, PgDn/PgUp.
enum ListMotion {
    /// The cursor row after `action` in a list of `rows` rows showing `visible` at once, or nil
    /// when the action is not a vertical movement.
    static func row(after action: Action, count: Int, from row: Int, rows: Int, visible: Int) -> Int? {
        guard rows > 0 else { return nil }
        let half = max(1, visible / 2), page = max(1, visible - 1)
        let target: Int
        switch action {
        case .moveDown: target = row + count
        case .moveUp: target = row - count
        case .top: target = 0
        case .bottom: target = rows - 1
        case .halfPageDown: target = row + half * count
        case .halfPageUp: target = row - half * count
        case .pageDown: target = row + page * count
        case .pageUp: target = row - page * count
        default: return nil
        }
        return min(rows - 1, max(0, target))
    }

    /// The first row to show so that `cursor` stays in a window of `visible` rows (the cursor
    /// scrolls the list; no stored offset needed).
    static func firstRow(cursor: Int, rows: Int, visible: Int) -> Int {
        guard visible > 0, rows > visible else { return 0 }
        return min(rows - visible, max(0, cursor - visible + 1))
    }
}

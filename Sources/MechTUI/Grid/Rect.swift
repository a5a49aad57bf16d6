/// A rectangle of cells: column `x`, row `y`, `width` × `height`.
public struct Rect: Equatable, Sendable {
    public var x, y, width, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The rectangle with `n` rows taken off the top.
    public func droppingTop(_ n: Int) -> Rect { Rect(x: x, y: y + n, width: width, height: height - n) }
    /// The first `n` rows.
    public func top(_ n: Int) -> Rect { Rect(x: x, y: y, width: width, height: min(n, height)) }
    /// The rectangle with `n` columns taken off the left.
    public func droppingLeft(_ n: Int) -> Rect { Rect(x: x + n, y: y, width: width - n, height: height) }
    /// The first `n` columns.
    public func left(_ n: Int) -> Rect { Rect(x: x, y: y, width: min(n, width), height: height) }
    /// Shrunk by `n` cells on every side.
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}

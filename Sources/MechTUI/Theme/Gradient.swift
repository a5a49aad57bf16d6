/// Colour stops spread evenly over 0…1, as btop's themes give gradients.
public struct Gradient: Equatable, Sendable {
    public var stops: [RGB]

    public init(_ stops: [RGB]) {
        precondition(!stops.isEmpty, "a gradient needs at least one stop")
        self.stops = stops
    }

    /// The colour at `t` (clamped to 0…1; NaN gives the first stop).
    public func color(at t: Double) -> RGB {
        guard stops.count > 1, t.isFinite else { return stops[0] }
        let x = min(1, max(0, t)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x))
        return stops[i].mixed(with: stops[i + 1], x - Double(i))
    }
}

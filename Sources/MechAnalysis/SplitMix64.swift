/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed generator that is easy to rebuild
/// exactly in any language, which is what a documented test sequence needs (the repeated random
/// sequence of the head scores, seeded key storms in the explorer's tests).
public struct SplitMix64: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<n (n > 0), by modulo (the bias is negligible for small n).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

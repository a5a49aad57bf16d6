import Foundation

/// The block read last, kept: analyses ask for one layer's weights head by head, and a block read
/// on demand (converted from 16 bits, or transposed for a per-head slice) is then read once.
final class RecentBlock: @unchecked Sendable {
    private let lock = NSLock()
    private var layer = -1
    private var kept: BlockWeights?

    func block(_ l: Int, read: (Int) -> BlockWeights) -> BlockWeights {
        lock.lock()
        defer { lock.unlock() }
        if layer == l, let kept { return kept }
        kept = nil                         // let the old block go before the next one is made
        let made = read(l)
        layer = l
        kept = made
        return made
    }
}

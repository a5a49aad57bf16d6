import Foundation

/// Splits independent loop iterations across the machine's cores, but only when the work is large
/// enough to pay for the hand-off (small prompts stay on the calling thread).
public enum Parallel {
    public static let coreCount = ProcessInfo.processInfo.activeProcessorCount

    /// Runs `body` for every index of `range`; iterations must be independent.
    public static func forEach(_ range: Range<Int>, minimumWorkPerItem: Int, _ body: (Int) -> Void) {
        let total = range.count * minimumWorkPerItem
        guard coreCount > 1, range.count > 1, total >= 1 << 16 else {
            for i in range { body(i) }
            return
        }
        let chunks = min(coreCount, range.count)
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = range.lowerBound + range.count * c / chunks
                let hi = range.lowerBound + range.count * (c + 1) / chunks
                for i in lo..<hi { body(i) }
            }
        }
    }
}

import Foundation

/// Memo of BPE results per pre-tokenized word; safe to share between threads (guarded by a lock).
///
/// Text repeats words constantly, so most words skip the merge loop. Results depend only on the
/// word, so sharing one cache between copies of a tokenizer is harmless. The cache is emptied when
/// it reaches `capacity` words, which bounds memory on long inputs.
final class BPEWordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [ExactText: [Int]] = [:]
    private let capacity: Int

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    func ids(for word: ExactText) -> [Int]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[word]
    }

    func store(_ ids: [Int], for word: ExactText) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[word] = ids
    }
}

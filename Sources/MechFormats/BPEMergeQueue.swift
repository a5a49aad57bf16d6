/// A min-priority queue of candidate BPE merges, ordered by merge rank and then by position.
///
/// The same order Hugging Face's `BinaryHeap<Merge>` pops in, so ties between equal-rank pairs
/// resolve leftmost-first exactly as in `tokenizers`.
struct BPEMergeQueue {
    struct Entry {
        var rank: Int32
        var position: Int32
        var newID: Int32

        func comesBefore(_ other: Entry) -> Bool {
            rank != other.rank ? rank < other.rank : position < other.position
        }
    }

    private var heap: [Entry] = []

    init(capacity: Int) {
        heap.reserveCapacity(capacity)
    }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].comesBefore(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var best = parent
            if left < heap.count, heap[left].comesBefore(heap[best]) { best = left }
            if right < heap.count, heap[right].comesBefore(heap[best]) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return top
    }
}

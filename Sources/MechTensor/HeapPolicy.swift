import CMechKernels

/// How the process gives memory back. Tensor buffers of `largeBlockBytes` and more are recycled by
/// `BufferPool`; other blocks that large are mapped on their own and unmapped when freed, so a
/// long-lived process (the explorer) does not keep every burst's temporaries in a fragmented heap.
public enum HeapPolicy {
    /// The size from which a block is the pool's or the system's, never the heap's.
    public static let largeBlockBytes = 128 << 10

    /// Sets the C library's heap policy; the executable calls it once at start.
    public static func install() { mech_heap_map_large_blocks(largeBlockBytes) }

    /// Hands idle memory back to the system: the pool's idle buffers and the heap's free pages. For a
    /// process that waits between bursts of work (the explorer when its worker has nothing queued);
    /// the next burst faults its pages in afresh.
    public static func releaseIdleMemory() {
        BufferPool.shared.drain()
        mech_heap_trim()
    }
}

import Foundation

/// Recycles freed tensor memory by exact size, so repeated forward passes (patching sweeps, the
/// TUI re-running a prompt) reuse warm pages instead of faulting in fresh ones from the kernel:
/// at 1024 tokens a GPT-2-small pass with a full cache allocates about 2 GB.
/// Holds at most `capacity` bytes of idle memory; larger surpluses go back to the system.
public final class BufferPool: @unchecked Sendable {
    public static let shared = BufferPool(capacity: 2 << 30)

    public let capacity: Int
    private var idle: [Int: [UnsafeMutableRawPointer]] = [:]
    private var idleBytes = 0
    private let lock = NSLock()

    public init(capacity: Int) { self.capacity = capacity }

    /// Buffers below this size come straight from malloc, which recycles small blocks well itself
    /// (larger ones would otherwise be mapped and unmapped each time: `HeapPolicy`).
    static let minimumPooledBytes = HeapPolicy.largeBlockBytes

    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount >= Self.minimumPooledBytes {
            lock.lock()
            if var list = idle[byteCount], let p = list.popLast() {
                idle[byteCount] = list.isEmpty ? nil : list
                idleBytes -= byteCount
                lock.unlock()
                return p
            }
            lock.unlock()
        }
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    func release(_ p: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount >= Self.minimumPooledBytes {
            lock.lock()
            if idleBytes + byteCount <= capacity {
                idle[byteCount, default: []].append(p)
                idleBytes += byteCount
                lock.unlock()
                return
            }
            lock.unlock()
        }
        p.deallocate()
    }

    /// Returns all idle memory to the system.
    public func drain() {
        lock.lock()
        let lists = idle
        idle = [:]
        idleBytes = 0
        lock.unlock()
        for list in lists.values { for p in list { p.deallocate() } }
    }

    /// Bytes currently held idle.
    public var idleByteCount: Int {
        lock.lock(); defer { lock.unlock() }
        return idleBytes
    }
}

/// Float memory a tensor reads from: either owned (allocated here, 64-byte aligned) or borrowed
/// from an owner such as a memory-mapped file, which it keeps alive.
public final class TensorBuffer: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    private let owner: AnyObject?
    private let owned: Bool

    /// A new owned buffer of `count` floats, zero-filled unless `zeroed` is false.
    public init(count: Int, zeroed: Bool = true) {
        let raw = BufferPool.shared.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        if zeroed { pointer.initialize(repeating: 0, count: max(count, 1)) }
        self.count = count
        owner = nil
        owned = true
    }

    /// Borrowed memory (e.g. an F32 tensor read in place from a memory map); `owner` keeps it valid.
    public init(borrowing pointer: UnsafePointer<Float>, count: Int, owner: AnyObject) {
        self.pointer = UnsafeMutablePointer(mutating: pointer)
        self.count = count
        self.owner = owner
        owned = false
    }

    /// Whether this buffer reads memory it does not own (a memory map).
    public var isBorrowed: Bool { !owned }

    deinit {
        if owned {
            BufferPool.shared.release(UnsafeMutableRawPointer(pointer), byteCount: max(count, 1) * MemoryLayout<Float>.stride)
        }
    }
}

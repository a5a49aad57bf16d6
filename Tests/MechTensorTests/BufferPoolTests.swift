import XCTest
@testable import MechTensor

final class BufferPoolTests: XCTestCase {
    func testFreedBuffersAreReusedAndZeroedWhenAskedFor() {
        let pool = BufferPool(capacity: 8 << 20)
        let bytes = 2 << 20
        let a = pool.allocate(byteCount: bytes)
        a.storeBytes(of: Float(42), as: Float.self)
        pool.release(a, byteCount: bytes)
        XCTAssertEqual(pool.idleByteCount, bytes)
        let b = pool.allocate(byteCount: bytes)
        XCTAssertEqual(a, b, "same-size allocation should reuse the idle buffer")
        XCTAssertEqual(pool.idleByteCount, 0)
        pool.release(b, byteCount: bytes)
        pool.drain()
        XCTAssertEqual(pool.idleByteCount, 0)

        // Through Tensor: a recycled buffer still comes back zero-filled for Tensor(zeros:).
        let n = (2 << 20) / 4 + 17
        do { let t = Tensor(repeating: 7, shape: [n]); XCTAssertEqual(t[n - 1], 7) }
        let z = Tensor(zeros: [n])
        XCTAssertEqual(z.scalars.max(), 0)
    }

    func testPoolKeepsNoMoreThanItsCapacity() {
        let pool = BufferPool(capacity: 3 << 20)
        let bytes = 2 << 20
        let a = pool.allocate(byteCount: bytes), b = pool.allocate(byteCount: bytes)
        pool.release(a, byteCount: bytes)
        pool.release(b, byteCount: bytes)
        XCTAssertEqual(pool.idleByteCount, bytes)
        pool.drain()
    }

    func testBuffersFromTheLargeBlockSizeArePooledAndIdleMemoryGoesBack() {
        let pool = BufferPool(capacity: 8 << 20)
        let small = HeapPolicy.largeBlockBytes - 64, large = HeapPolicy.largeBlockBytes
        pool.release(pool.allocate(byteCount: small), byteCount: small)
        XCTAssertEqual(pool.idleByteCount, 0, "below the large-block size the heap recycles")
        pool.release(pool.allocate(byteCount: large), byteCount: large)
        XCTAssertEqual(pool.idleByteCount, large)
        pool.drain()

        let shared = BufferPool.shared
        shared.release(shared.allocate(byteCount: large), byteCount: large)
        XCTAssertGreaterThanOrEqual(shared.idleByteCount, large)
        HeapPolicy.releaseIdleMemory()
        XCTAssertEqual(shared.idleByteCount, 0)
    }
}

import Foundation

/// Counts the time and floating-point work that goes through `BLAS.gemm`, so `mechscope bench`
/// can say how close the matrix-multiply phase runs to the machine's raw sgemm throughput.
/// Off by default; when off it costs one branch per product.
public enum GemmProfiler {
    nonisolated(unsafe) public static var isEnabled = false
    nonisolated(unsafe) public private(set) static var seconds: Double = 0
    nonisolated(unsafe) public private(set) static var flops: Double = 0
    nonisolated(unsafe) public private(set) static var calls: Int = 0

    public static func reset() { seconds = 0; flops = 0; calls = 0 }

    @inline(__always)
    static func record(start: UInt64, m: Int, n: Int, k: Int) {
        let end = DispatchTime.now().uptimeNanoseconds
        seconds += Double(end - start) / 1e9
        flops += 2 * Double(m) * Double(n) * Double(k)
        calls += 1
    }
}

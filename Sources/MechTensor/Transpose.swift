import CMechKernels
import Foundation

public extension Tensor {
    /// This [m, n] matrix's transpose in new memory, [n, m] (CMechKernels' tiled `mech_transpose_f32`).
    /// Large matrices are split by columns across the cores (the BLAS threads are idle meanwhile).
    func transposedCopy() -> Tensor {
        precondition(rank == 2, "transpose needs a 2-D tensor, got \(shape)")
        let rows = shape[0], cols = shape[1]
        let out = Tensor(uninitialized: [cols, rows])                   // [n, m]
        guard rows > 0, cols > 0 else { return out }
        let src = UnsafePointer(pointer), dst = out.pointer
        let parts = rows * cols >= 1 << 18 ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) : 1
        // Column ranges in multiples of 16 (the kernel's tile), one per thread.
        let step = ((cols + parts - 1) / parts + 15) / 16 * 16
        let ranges = stride(from: 0, to: cols, by: step).map { $0..<min($0 + step, cols) }
        if ranges.count == 1 {
            mech_transpose_f32(src, rows, cols, 0, cols, dst)
        } else {
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
                mech_transpose_f32(src, rows, cols, ranges[i].lowerBound, ranges[i].upperBound, dst)
            }
        }
        return out
    }
}

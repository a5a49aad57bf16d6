import CMechKernels
import Foundation

/// How a stored matrix's elements are encoded (little-endian).
public enum StoredFloat: Sendable {
    case float32, float16, bfloat16
}

/// A stored row-major [rows, cols] matrix transposed into a new float32 [cols, rows] tensor in one
/// pass, widening 16-bit elements on the way (CMechKernels' `mech_transpose_*`): how a checkpoint's
/// nn.Linear weight [out, in] becomes the x·W layout [in, out] without a float32 copy in between.
/// Large matrices are split by columns across the cores (the BLAS threads are idle meanwhile).
public enum TransposedWidening {
    public static func transpose(_ source: UnsafeRawPointer, rows: Int, cols: Int, as type: StoredFloat) -> Tensor {
        let out = Tensor(uninitialized: [cols, rows])
        guard rows > 0, cols > 0 else { return out }
        let kernel: (UnsafeRawPointer?, Int, Int, Int, Int, UnsafeMutablePointer<Float>?) -> Void
        switch type {
        case .float32: kernel = mech_transpose_f32
        case .float16: kernel = mech_transpose_f16
        case .bfloat16: kernel = mech_transpose_bf16
        }
        let dst = out.pointer
        let parts = rows * cols >= 1 << 18 ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) : 1
        // Column ranges in multiples of 16 (the kernel's tile), one per thread.
        let step = ((cols + parts - 1) / parts + 15) / 16 * 16
        let ranges = stride(from: 0, to: cols, by: step).map { $0..<min($0 + step, cols) }
        if ranges.count == 1 {
            kernel(source, rows, cols, 0, cols, dst)
        } else {
            DispatchQueue.concurrentPerform(iterations: ranges.count) { i in
                kernel(source, rows, cols, ranges[i].lowerBound, ranges[i].upperBound, dst)
            }
        }
        return out
    }
}

import COpenBLAS
import Foundation

/// What OpenBLAS is running with, and which kernel it should run with on this CPU.
///
/// Debian's OpenBLAS 0.3.21 does not recognise recent AVX-512 CPUs and falls back to its generic
/// Prescott kernel (about 5× slower). The kernel is chosen when the library loads, so the fix is an
/// environment variable set before the process starts: see `preferredCoreType`.
public enum OpenBLASRuntime {
    /// The kernel OpenBLAS chose at load time, e.g. "Prescott", "Haswell", "SkylakeX".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Threads OpenBLAS uses for a product.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The OPENBLAS_CORETYPE this CPU supports best, judged from what it really has
    /// (AVX-512 F/BW/DQ/VL → SkylakeX, AVX2+FMA → Haswell), or nil when the library's own choice is right.
    public static func preferredCoreType(cpuFlags: Set<String> = CPUFeatures.flags()) -> String? {
        let avx512 = ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]
        if avx512.allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "Haswell" }
        return nil
    }
}

/// CPU feature flags as the kernel reports them.
public enum CPUFeatures {
    /// Flags from the first `flags` line of /proc/cpuinfo (empty where that file does not exist).
    public static func flags(cpuinfo path: String = "/proc/cpuinfo") -> Set<String> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }
}

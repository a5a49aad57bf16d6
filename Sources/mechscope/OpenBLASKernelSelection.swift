import Foundation
import MechTensor
#if canImport(Glibc)
import Glibc
#endif

/// Puts OpenBLAS on the fast kernel this CPU supports before any work runs.
///
/// Debian's OpenBLAS picks its generic Prescott kernel on AVX-512 Xeons it does not know (5× slower).
/// The kernel is fixed when the library loads, so when the variable is unset and the loaded kernel
/// is not the one the CPU supports, the process re-executes itself once with OPENBLAS_CORETYPE set.
/// A value already in the environment is never overridden.
enum OpenBLASKernelSelection {
    static let markerVariable = "MECHSCOPE_SET_OPENBLAS_CORETYPE"

    /// Re-executes the process with the better kernel when that is needed; returns otherwise.
    static func ensureFastKernel() {
        let env = ProcessInfo.processInfo.environment
        guard env["OPENBLAS_CORETYPE"] == nil, env[markerVariable] == nil,
              let preferred = OpenBLASRuntime.preferredCoreType(),
              OpenBLASRuntime.coreName.lowercased() != preferred.lowercased() else { return }
        setenv("OPENBLAS_CORETYPE", preferred, 1)
        setenv(markerVariable, preferred, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // execv only returns on failure: carry on with the kernel already loaded.
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// How the running kernel was chosen, for `info` and `bench`.
    static var summary: String {
        let env = ProcessInfo.processInfo.environment
        let core = OpenBLASRuntime.coreName
        let threads = OpenBLASRuntime.threadCount
        if let set = env[markerVariable], env["OPENBLAS_CORETYPE"] == set {
            return "\(core), \(threads) threads (OPENBLAS_CORETYPE=\(set) chosen by mechscope from the CPU's features)"
        }
        if let user = env["OPENBLAS_CORETYPE"] {
            return "\(core), \(threads) threads (OPENBLAS_CORETYPE=\(user) from your environment)"
        }
        return "\(core), \(threads) threads (chosen by OpenBLAS)"
    }
}

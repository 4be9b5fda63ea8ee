import CLAPACK
import Foundation

/// OpenBLAS chooses its compute kernels from the CPU's identity when the library
/// loads. In virtual machines that report a generic "Intel Xeon Processor" it
/// falls back to the SSE3 "Prescott" kernels, 5.6× slower for GEMM on this
/// project's machines (19 vs 108 GFLOP/s) though the CPU has AVX-512. OpenBLAS
/// honours `OPENBLAS_CORETYPE`, but only at load time, so a program must choose
/// before it starts: `tepat` re-executes itself once with the variable set.
public enum KernelSelection {
    /// The kernel family OpenBLAS is using (e.g. "SkylakeX", "Haswell", "Prescott").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The best kernel family the CPU supports, from its feature flags; nil when
    /// nothing better than OpenBLAS's own choice is known.
    public static func recommendedCoreType(cpuFlags: Set<String>) -> String? {
        if cpuFlags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// CPU flags from /proc/cpuinfo (Linux); empty elsewhere.
    public static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
    }

    /// Kernel families weaker than what any AVX2 machine can run.
    static let fallbackCores: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Unknown", "unknown"]

    /// The kernel type to re-execute with, or nil when OpenBLAS already chose
    /// well or the user set `OPENBLAS_CORETYPE` themselves.
    public static func betterCoreType() -> String? {
        if ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil { return nil }
        guard fallbackCores.contains(coreName) else { return nil }
        return recommendedCoreType(cpuFlags: cpuFlags())
    }
}

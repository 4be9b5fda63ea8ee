import Foundation
import TepatRandom

/// Standard normal draws from a seeded xoshiro256** stream by the polar
/// Box–Muller method, two per accepted pair. Each registry chunk has its own
/// stream (seed, chunk), so results do not depend on how chunks meet threads.
struct NormalSampler {
    private var core: Xoshiro256
    private var spare = 0.0
    private var hasSpare = false

    init(seed: UInt64, stream: UInt64) {
        core = Xoshiro256(splitMixFrom: seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ 0x9E37_79B9_7F4A_7C15)
    }

    @inline(__always)
    private mutating func next() -> UInt64 { core.next() }

    /// Uniform on (−1, 1).
    @inline(__always)
    private mutating func symmetric() -> Double { Double(Int64(bitPattern: next()) >> 11) * 0x1.0p-52 }

    /// Uniform integer in 0..<n (multiply-shift; bias below 2⁻³² for n < 2³²).
    @inline(__always)
    mutating func index(_ n: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(n)) >> 32)
    }

    /// Uniform on [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A χ² draw with `degrees` degrees of freedom: a sum of squared normals up
    /// to 100 degrees, above that the Wilson–Hilferty cube of a normal (its
    /// quantiles within 0.1% of the χ²'s there).
    mutating func chiSquare(_ degrees: Int) -> Double {
        if degrees <= 100 { return (0..<degrees).reduce(0) { sum, _ in let z = normal(); return sum + z * z } }
        let k = Double(degrees), c = 2 / (9 * k)
        let cube = 1 - c + normal() * c.squareRoot()
        return k * cube * cube * cube
    }

    @inline(__always)
    mutating func normal() -> Double {
        if hasSpare { hasSpare = false; return spare }
        while true {
            let u = symmetric(), v = symmetric()
            let r = u * u + v * v
            if r > 0 && r < 1 {
                let f = (-2 * log(r) / r).squareRoot()
                spare = v * f
                hasSpare = true
                return u * f
            }
        }
    }
}

import Foundation

/// Standard normal draws from a seeded xoshiro256** stream by the polar
/// Box–Muller method, two per accepted pair. Each registry chunk has its own
/// stream (seed, chunk), so results do not depend on how chunks meet threads.
struct NormalSampler {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    private var spare = 0.0
    private var hasSpare = false

    init(seed: UInt64, stream: UInt64) {
        var x = seed ^ (stream &* 0xD1B5_4A32_D192_ED03) &+ 0x9E37_79B9_7F4A_7C15
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inline(__always)
    private mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3; s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform on (−1, 1).
    @inline(__always)
    private mutating func symmetric() -> Double { Double(Int64(bitPattern: next()) >> 11) * 0x1.0p-52 }

    /// Uniform integer in 0..<n (multiply-shift; bias below 2⁻³² for n < 2³²).
    @inline(__always)
    mutating func index(_ n: Int) -> Int {
        Int((UInt64(UInt32(truncatingIfNeeded: next() >> 32)) &* UInt64(n)) >> 32)
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

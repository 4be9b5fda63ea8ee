import Foundation
import TepatRandom

/// The generator's random stream: xoshiro256** seeded through SplitMix64 from
/// (seed, stream), so every village has its own reproducible stream.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var core: Xoshiro256

    public init(seed: UInt64, stream: UInt64 = 0) {
        core = Xoshiro256(splitMixFrom: seed &+ stream &* 0x9E37_79B9_7F4A_7C15)
    }

    @inline(__always)
    public mutating func next() -> UInt64 { core.next() }

    /// Uniform on [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Standard normal by the Box–Muller transform (one value per call: simple
    /// and reproducible; this is not a hot path).
    public mutating func normal() -> Double {
        let u1 = 1 - uniform()  // (0, 1]
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    public mutating func normal(mean: Double, sd: Double) -> Double { mean + sd * normal() }

    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Uniform integer in `range` (Lemire's nearly-divisionless method via the stdlib).
    public mutating func integer(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    /// Poisson by inversion; fine for the small means used here.
    public mutating func poisson(_ mean: Double) -> Int {
        let limit = exp(-mean)
        var k = 0
        var p = uniform()
        while p > limit && k < 100 { k += 1; p *= uniform() }
        return k
    }
}

/// Φ⁻¹ by Acklam's rational approximation refined with one Halley step
/// (relative error below 1e-15), used to place category thresholds.
func inverseNormalCDF(_ p: Double) -> Double {
    precondition(p > 0 && p < 1)
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    var x: Double
    if p < low {
        let q = (-2 * log(p)).squareRoot()
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    } else if p <= 1 - low {
        let q = p - 0.5, r = q * q
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    } else {
        let q = (-2 * log(1 - p)).squareRoot()
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    }
    let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
    let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
    x -= u / (1 + x * u / 2)
    return x
}

func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

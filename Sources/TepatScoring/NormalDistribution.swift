import Foundation

/// The standard normal distribution.
public enum Normal {
    /// Φ(x) through erfc, accurate in both tails.
    @inline(__always)
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x * 0.7071067811865476) }

    @inline(__always)
    public static func pdf(_ x: Double) -> Double { 0.3989422804014327 * exp(-0.5 * x * x) }
}

/// Expected FGT poverty measures of one household whose log consumption per
/// capita is N(μ, σ²), at poverty line z (Docs/model.md). Closed forms: with
/// d = (ln z − μ)/σ and m = e^{μ+σ²/2}/z,
///   P0 = Φ(d)
///   P1 = Φ(d) − m·Φ(d − σ)
///   P2 = Φ(d) − 2m·Φ(d − σ) + m²e^{σ²}·Φ(d − 2σ)
public struct ExpectedFGT: Sendable, Equatable {
    public var p0: Double
    public var p1: Double
    public var p2: Double

    public init(p0: Double, p1: Double, p2: Double) {
        self.p0 = p0
        self.p1 = p1
        self.p2 = p2
    }

    @inline(__always)
    public init(mean mu: Double, sd sigma: Double, logPovertyLine lnz: Double) {
        let d = (lnz - mu) / sigma
        let phi0 = Normal.cdf(d)
        // m and its square in logs: e^{μ+σ²/2−ln z}, e^{2μ+2σ²−2 ln z}.
        let logM = mu + 0.5 * sigma * sigma - lnz
        let m = exp(logM)
        let m2 = exp(2 * mu + 2 * sigma * sigma - 2 * lnz)
        let phi1 = Normal.cdf(d - sigma), phi2 = Normal.cdf(d - 2 * sigma)
        // Each bracket is a probability-weighted mean of (1−y/z)^α over y < z, so
        // clamp away rounding below 0.
        p0 = phi0
        p1 = max(0, phi0 - m * phi1)
        p2 = max(0, phi0 - 2 * m * phi1 + m2 * phi2)
    }
}

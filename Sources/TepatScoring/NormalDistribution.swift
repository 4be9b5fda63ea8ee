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

/// Φ and exp from tables, for the bootstrap's inner loop, where every
/// household is evaluated under every replicate (a kabupaten's 300,000
/// households × 200 replicates), at a fraction of the cost of erfc and exp.
/// Φ: cubic Hermite interpolation between nodes 1/64 apart on [−9, 9], each
/// holding Φ and φ, within 2·10⁻¹⁰ of `Normal.cdf`; beyond the nodes Φ is
/// within 10⁻¹⁸ of 0 or 1. exp: Tang's method, e^x = 2^{k/64}·e^r with
/// |r| ≤ ln 2/128 and a degree-5 polynomial for e^r, within 10⁻¹⁵ relative.
struct TabulatedNormalCDF: Sendable {
    static let lowest = -9.0
    static let perUnit = 64.0
    /// Per interval k from x_k = lowest + k/perUnit: the coefficients c0…c3
    /// of the Hermite cubic c0 + c1·u + c2·u² + c3·u³ in u = (x − x_k)·perUnit,
    /// which takes Φ and φ/perUnit at both ends.
    let cubics: [Double]
    /// 2^{j/64}, j = 0…63.
    let powersOfTwo: [Double]

    init() {
        let intervals = Int(2 * -Self.lowest * Self.perUnit)
        let x = (0...intervals).map { Self.lowest + Double($0) / Self.perUnit }
        let y = x.map(Normal.cdf), slope = x.map { Normal.pdf($0) / Self.perUnit }
        var cubics: [Double] = []
        for k in 0..<intervals {
            let rise = y[k + 1] - y[k], slopes = slope[k] + slope[k + 1]
            cubics += [y[k], slope[k], 3 * rise - slope[k] - slopes, slopes - 2 * rise]
        }
        self.cubics = cubics
        powersOfTwo = (0..<64).map { pow(2, Double($0) / 64) }
    }

    func withEvaluator<R>(_ body: (Evaluator) throws -> R) rethrows -> R {
        try cubics.withUnsafeBufferPointer { cubics in
            try powersOfTwo.withUnsafeBufferPointer { try body(Evaluator(cubics: cubics, powersOfTwo: $0)) }
        }
    }

    struct Evaluator {
        let cubics: UnsafeBufferPointer<Double>
        let powersOfTwo: UnsafeBufferPointer<Double>

        @inline(__always)
        func cdf(_ x: Double) -> Double {
            let t = (x - TabulatedNormalCDF.lowest) * TabulatedNormalCDF.perUnit
            guard t > 0 else { return 0 }
            let k = Int(t)
            guard 4 * k + 3 < cubics.count else { return 1 }
            let u = t - Double(k)
            return cubics[4 * k] + u * (cubics[4 * k + 1] + u * (cubics[4 * k + 2] + u * cubics[4 * k + 3]))
        }

        /// e^x for |x| < 700.
        @inline(__always)
        func exp(_ x: Double) -> Double {
            // Round to nearest by adding and taking away 1.5·2⁵², which leaves
            // no fraction bits: libm's round is a call, this is two additions.
            let k = (x * (64 / M_LN2) + 0x1.8p52) - 0x1.8p52
            // ln 2 in two parts (fdlibm's): k times the first is exact.
            let r = (x - k * (6.93147180369123816490e-01 / 64)) - k * (1.90821492927058770002e-10 / 64)
            let whole = Int(k), j = whole & 63
            let p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))))
            return Double(sign: .plus, exponent: (whole - j) >> 6, significand: powersOfTwo[j] * p)
        }

        /// P2 of `ExpectedFGT` from d = (ln z − μ)/σ, σ and P0 = Φ(d), with
        /// e^{σ²} given (it is the same for a village's households).
        @inline(__always)
        func severity(d: Double, sigma: Double, expSigma2: Double, headcount phi0: Double) -> Double {
            guard phi0 > 0 else { return 0 }
            let m = exp(sigma * (0.5 * sigma - d))
            return max(0, phi0 - 2 * m * cdf(d - sigma) + m * m * expSigma2 * cdf(d - 2 * sigma))
        }
    }
}

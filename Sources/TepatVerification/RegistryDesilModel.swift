import Foundation
import TepatScoring

/// The registry's desil read as a second, noisy measurement of the same
/// welfare the model predicts, so the two can be weighed against each other.
///
/// A household's log welfare per capita y has the model's predictive
/// distribution N(μ_h, σ_h²). The registry ranks y + e, with e ~ N(0, τ²) its
/// own error, into member-weighted deciles: desil k when y + e falls between
/// the cut points b_{k−1} and b_k, the k/10 quantiles of y + e over all persons.
/// τ is fitted by maximum likelihood of the registry's desil given the model,
/// so no truth is needed. Then
///
///     P(y < c | μ_h, σ_h, desil_h) ∝ ∫_{y<c} φ((y − μ_h)/σ_h) P(desil_h | y) dy,
///
/// where c is the 40% quantile of y over persons: the probability that the
/// household truly belongs to the poorest 40% (Docs/verification.md).
public struct RegistryDesilModel: Sendable {
    /// τ, the registry's error in log welfare.
    public let noiseSD: Double
    /// b_1 … b_9 on the scale of y + e.
    public let cutPoints: [Double]
    /// c: the poorest 40% of persons have y below it.
    public let poorestCut: Double

    /// Fits τ to the households whose registry desil is known (1–10).
    public static func fit(logMean: [Double], logSD: [Double], members: [Double], desil: [Int32]) -> RegistryDesilModel? {
        guard let bins = PredictiveBins(logMean: logMean, logSD: logSD, members: members, desil: desil) else { return nil }
        let poorestCut = bins.quantile(0.4, extraSD: 0)
        // The likelihood over log τ, maximised by golden-section search between
        // a registry as good as a census (τ = 0.01) and one unrelated to welfare.
        var lo = log(0.01), hi = log(4.0)
        let g = (5.0.squareRoot() - 1) / 2
        var a = hi - g * (hi - lo), b = lo + g * (hi - lo)
        var fa = bins.logLikelihood(tau: exp(a)), fb = bins.logLikelihood(tau: exp(b))
        while hi - lo > 1e-4 {
            if fa > fb { hi = b; b = a; fb = fa; a = hi - g * (hi - lo); fa = bins.logLikelihood(tau: exp(a)) }
            else { lo = a; a = b; fa = fb; b = lo + g * (hi - lo); fb = bins.logLikelihood(tau: exp(b)) }
        }
        let tau = exp((lo + hi) / 2)
        return RegistryDesilModel(noiseSD: tau, cutPoints: bins.cutPoints(tau: tau), poorestCut: poorestCut)
    }

    public init(noiseSD: Double, cutPoints: [Double], poorestCut: Double) {
        self.noiseSD = noiseSD
        self.cutPoints = cutPoints
        self.poorestCut = poorestCut
    }

    /// The probability of registry desil `desil` for a household of log welfare y.
    func likelihood(desil: Int, y: Double) -> Double {
        Self.desilProbability(desil, cutPoints: cutPoints, centre: y, spread: noiseSD)
    }

    /// The probability that a normal value of `centre` and `spread` falls
    /// between cut points k − 1 and k: desil k.
    static func desilProbability(_ k: Int, cutPoints: [Double], centre: Double, spread: Double) -> Double {
        let upper = k >= 10 ? 1 : Normal.cdf((cutPoints[k - 1] - centre) / spread)
        let lower = k <= 1 ? 0 : Normal.cdf((cutPoints[k - 2] - centre) / spread)
        return max(0, upper - lower)
    }

    /// P(y < c | the model's N(mean, sd²), the registry's desil). The
    /// denominator, P(desil), is closed-form: y + e ~ N(mean, sd² + τ²). The
    /// numerator is integrated by Simpson's rule in steps of 0.1 sd over the
    /// shorter side of c, out to 8 sd (beyond which φ < 10⁻¹⁴).
    public func probabilityPoorest(mean: Double, sd: Double, desil: Int) -> Double {
        let total = Self.desilProbability(desil, cutPoints: cutPoints, centre: mean, spread: (sd * sd + noiseSD * noiseSD).squareRoot())
        let zc = (poorestCut - mean) / sd
        guard total > 1e-300 else { return Normal.cdf(zc) }
        if zc <= 0 {
            return min(1, max(0, simpson(from: -8, to: zc, mean: mean, sd: sd, desil: desil) / total))
        }
        return min(1, max(0, 1 - simpson(from: zc, to: 8, mean: mean, sd: sd, desil: desil) / total))
    }

    private func simpson(from a: Double, to b: Double, mean: Double, sd: Double, desil: Int) -> Double {
        guard b > a else { return 0 }
        let intervals = max(2, 2 * Int(((b - a) / 0.2).rounded(.up)))
        let h = (b - a) / Double(intervals)
        var total = 0.0
        for k in 0...intervals {
            let z = a + Double(k) * h
            let f = Normal.pdf(z) * likelihood(desil: desil, y: mean + sd * z)
            total += (k == 0 || k == intervals) ? f : (k % 2 == 1 ? 4 * f : 2 * f)
        }
        return total * h / 3
    }
}

/// The model's predictive distributions grouped by predicted log welfare, so
/// the likelihood and the mixture quantiles cost hundreds of evaluations, not
/// one per household: μ in bins of 0.01 log points (about 1% of welfare),
/// each with its members and the members' root-mean-square σ.
struct PredictiveBins {
    var mean: [Double] = []
    var sd: [Double] = []
    var persons: [Double] = []
    /// Households per bin and registry desil, for the likelihood.
    var desilCounts: [[Double]] = []
    var totalPersons = 0.0
    static let width = 0.01

    init?(logMean: [Double], logSD: [Double], members: [Double], desil: [Int32]) {
        let known = logMean.indices.filter { (1...10).contains(desil[$0]) && logMean[$0].isFinite && logSD[$0] > 0 }
        guard known.count >= 100, let low = known.map({ logMean[$0] }).min() else { return nil }
        var index: [Int: Int] = [:]
        var sumMean: [Double] = [], sumSquares: [Double] = []
        for h in known {
            let key = Int(((logMean[h] - low) / Self.width).rounded(.down))
            let b = index[key] ?? {
                index[key] = mean.count
                mean.append(0); sd.append(0); persons.append(0); sumMean.append(0); sumSquares.append(0)
                desilCounts.append([Double](repeating: 0, count: 10))
                return mean.count - 1
            }()
            persons[b] += members[h]
            sumMean[b] += members[h] * logMean[h]
            sumSquares[b] += members[h] * logSD[h] * logSD[h]
            desilCounts[b][Int(desil[h]) - 1] += 1
        }
        for b in mean.indices {
            mean[b] = sumMean[b] / persons[b]
            sd[b] = (sumSquares[b] / persons[b]).squareRoot()
        }
        totalPersons = persons.reduce(0, +)
    }

    /// The share of persons whose y + e (e of sd `extraSD`) is below x.
    func cdf(_ x: Double, extraSD: Double) -> Double {
        var total = 0.0
        for b in mean.indices {
            total += persons[b] * Normal.cdf((x - mean[b]) / (sd[b] * sd[b] + extraSD * extraSD).squareRoot())
        }
        return total / totalPersons
    }

    /// The p quantile of y + e over persons, by bisection to 1e-9 log points.
    func quantile(_ p: Double, extraSD: Double) -> Double {
        var lo = mean.min()! - 10 * (sd.max()! + extraSD), hi = mean.max()! + 10 * (sd.max()! + extraSD)
        while hi - lo > 1e-9 {
            let mid = (lo + hi) / 2
            if cdf(mid, extraSD: extraSD) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    func cutPoints(tau: Double) -> [Double] { (1...9).map { quantile(Double($0) / 10, extraSD: tau) } }

    /// Log-likelihood of the registry's desil given the model and τ.
    func logLikelihood(tau: Double) -> Double {
        let cuts = cutPoints(tau: tau)
        var total = 0.0
        for b in mean.indices {
            let s = (sd[b] * sd[b] + tau * tau).squareRoot()
            for k in 1...10 where desilCounts[b][k - 1] > 0 {
                let p = RegistryDesilModel.desilProbability(k, cutPoints: cuts, centre: mean[b], spread: s)
                total += desilCounts[b][k - 1] * log(max(p, 1e-300))
            }
        }
        return total
    }
}

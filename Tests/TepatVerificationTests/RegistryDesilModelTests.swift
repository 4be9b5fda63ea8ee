import Foundation
@testable import TepatScoring
import XCTest
@testable import TepatVerification

final class RegistryDesilModelTests: XCTestCase {
    /// A registry drawn exactly as the model assumes: y ~ N(μ_h, σ_h²), the
    /// registry's desil the member-weighted decile of y + e, e ~ N(0, τ²).
    struct Simulated {
        var mean: [Double] = [], sd: [Double] = [], members: [Double] = [], y: [Double] = []
        var desil: [Int32] = []
    }

    static func simulate(households n: Int, tau: Double, seed: UInt64) -> Simulated {
        var rng = NormalSampler(seed: seed, stream: 1)
        var s = Simulated()
        var noisy: [Double] = []
        for _ in 0..<n {
            let mu = 13 + 0.5 * rng.normal(), sigma = 0.3 + 0.1 * rng.uniform()
            s.mean.append(mu); s.sd.append(sigma)
            s.members.append(Double(1 + Int(rng.uniform() * 6)))
            let y = mu + sigma * rng.normal()
            s.y.append(y)
            noisy.append(y + tau * rng.normal())
        }
        s.desil = Deciles.assign(welfare: noisy, members: s.members) { $0 < $1 }.map(Int32.init)
        return s
    }

    func testNoiseOfTheRegistryIsRecoveredByMaximumLikelihood() throws {
        for tau in [0.15, 0.3] {
            let s = Self.simulate(households: 20_000, tau: tau, seed: 7)
            let model = try XCTUnwrap(RegistryDesilModel.fit(logMean: s.mean, logSD: s.sd, members: s.members, desil: s.desil))
            // The standard error of τ̂ at this size is about 0.005 (from the
            // curvature of the likelihood); 0.02 allows for the binning of μ.
            XCTAssertEqual(model.noiseSD, tau, accuracy: 0.02, "τ = \(tau)")
        }
    }

    /// The probability matches an independent computation: the posterior by
    /// the midpoint rule on a fine grid, numerator and denominator both.
    func testProbabilityAgreesWithFineMidpointIntegration() {
        let model = RegistryDesilModel(noiseSD: 0.22, cutPoints: (1...9).map { 12.4 + 0.15 * Double($0) }, poorestCut: 12.93)
        for (mean, sd, desil) in [(12.5, 0.36, 6), (12.7, 0.4, 5), (13.4, 0.38, 2), (13.0, 0.3, 4), (12.2, 0.35, 10), (13.8, 0.37, 1)] {
            // Each side of the cut by the midpoint rule with 100,000 cells.
            func side(_ a: Double, _ b: Double) -> Double {
                let steps = 100_000, h = (b - a) / Double(steps)
                return (0..<steps).reduce(0.0) { total, k in
                    let z = a + (Double(k) + 0.5) * h
                    return total + Normal.pdf(z) * model.likelihood(desil: desil, y: mean + sd * z) * h
                }
            }
            let zc = (model.poorestCut - mean) / sd
            let below = side(-10, zc), all = below + side(zc, 10)
            XCTAssertEqual(model.probabilityPoorest(mean: mean, sd: sd, desil: desil), below / all, accuracy: 1e-5,
                           "mean \(mean), sd \(sd), desil \(desil)")
        }
    }

    /// Under a correctly specified registry, the households given a
    /// probability of 0.8 or more are in the poorest 40% about as often as
    /// their probabilities say.
    func testProbabilitiesAreCalibratedWhenTheModelHolds() throws {
        let s = Self.simulate(households: 40_000, tau: 0.25, seed: 11)
        let model = try XCTUnwrap(RegistryDesilModel.fit(logMean: s.mean, logSD: s.sd, members: s.members, desil: s.desil))
        let poorest = TrueWelfare.deciles(consumption: s.y, members: s.members).map { $0 <= 4 }
        var claimed = 0.0, right = 0.0, listed = 0.0
        for i in s.mean.indices where s.desil[i] > 4 {
            let p = model.probabilityPoorest(mean: s.mean[i], sd: s.sd[i], desil: Int(s.desil[i]))
            guard p >= 0.6 else { continue }
            listed += 1; claimed += p
            if poorest[i] { right += 1 }
        }
        XCTAssertGreaterThan(listed, 200)
        // Binomial standard error at ~300 households is about 0.025.
        XCTAssertEqual(right / listed, claimed / listed, accuracy: 0.06)
    }
}

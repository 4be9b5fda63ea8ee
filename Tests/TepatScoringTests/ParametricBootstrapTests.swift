import Foundation
import LinearAlgebra
import XCTest
@testable import TepatScoring

/// The tables the bootstrap's inner loop evaluates Φ, exp and the expected
/// FGT with, against the library functions they stand in for.
final class TabulatedNormalTests: XCTestCase {
    let table = TabulatedNormalCDF()

    func testCDFWithin2e10OfErfc() {
        table.withEvaluator { phi in
            var worst = 0.0
            for k in -12_000...12_000 {
                let x = Double(k) / 1000 + 0.000_37
                worst = max(worst, abs(phi.cdf(x) - Normal.cdf(x)))
            }
            XCTAssertLessThan(worst, 2e-10)
        }
    }

    func testExpWithin1e15Relative() {
        table.withEvaluator { phi in
            var worst = 0.0
            for k in -40_000...40_000 {
                let x = Double(k) / 1000 + 0.000_37
                worst = max(worst, abs(phi.exp(x) / Foundation.exp(x) - 1))
            }
            XCTAssertLessThan(worst, 1e-15)
        }
    }

    /// P0 and P2 from d and σ equal `ExpectedFGT`'s closed forms (erfc and
    /// exp) for households from 4 log points below the line to 4 above.
    func testCDFAndSeverityEqualTheClosedForms() {
        let lnz = log(500_000.0)
        table.withEvaluator { phi in
            for sigma in [0.2, 0.45, 0.8, 1.2] {
                for k in -400...400 {
                    let mu = lnz + Double(k) / 100
                    let exact = ExpectedFGT(mean: mu, sd: sigma, logPovertyLine: lnz)
                    let d = (lnz - mu) / sigma, p0 = phi.cdf(d)
                    XCTAssertEqual(p0, exact.p0, accuracy: 2e-10, "σ \(sigma), μ − ln z \(mu - lnz)")
                    XCTAssertEqual(phi.severity(d: d, sigma: sigma, expSigma2: exp(sigma * sigma), headcount: p0), exact.p2, accuracy: 1e-9,
                                   "σ \(sigma), μ − ln z \(mu - lnz)")
                }
            }
        }
    }
}

/// The bootstrap's refit of a replicate survey against the point fit's own
/// path run afresh on that survey.
final class ParametricBootstrapTests: XCTestCase {
    /// A kabupaten-shaped survey: 60 villages of 6–14 households, a village
    /// covariate, household covariates, and a second response on the same design.
    func survey(seed: UInt64) -> (design: Matrix, y: [Double], other: [Double], village: [Int32]) {
        var sampler = NormalSampler(seed: seed, stream: 21)
        var rows: [[Double]] = [], y: [Double] = [], other: [Double] = [], village: [Int32] = []
        for v in 0..<60 {
            let eta = 0.2 * sampler.normal(), eta2 = 0.3 * sampler.normal(), context = sampler.normal()
            for _ in 0..<(6 + sampler.index(9)) {
                let row = [1, context, sampler.normal(), Double(sampler.index(5)), sampler.index(3) == 0 ? 1 : 0]
                let mean = zip(row, [12.5, 0.3, -0.2, 0.05, -0.4]).reduce(0) { $0 + $1.0 * $1.1 }
                y.append(mean + eta + 0.45 * sampler.normal())
                other.append(mean + eta2 + 0.4 * sampler.normal())
                rows.append(row)
                village.append(Int32(v))
            }
        }
        return (Matrix(rows), y, other, village)
    }

    /// The sums with a replaced response give the likelihood of sums taken
    /// afresh from that response, to 1e-10 of its size.
    func testReplacedResponseHasTheFreshSumsLikelihood() throws {
        let s = survey(seed: 1)
        let profile = try REMLProfile(design: s.design, response: s.y, village: s.village, villageCount: 64)
        let fresh = try REMLProfile(design: s.design, response: s.other, village: s.village, villageCount: 64)
        let replaced = try profile.gram.replacingResponse(
            xty: try BLAS.product(s.design, transpose: true, s.other), yty: s.other.reduce(0) { $0 + $1 * $1 },
            meanResponse: fresh.gram.meanResponse)
        for lambda in [1e-5, 0.01, 0.2, 1, 30] {
            let expected = try fresh.gram.logLikelihood(lambda)
            XCTAssertEqual(try replaced.logLikelihood(lambda), expected, accuracy: 1e-10 * abs(expected), "λ \(lambda)")
        }
    }

    /// A refit is the point fit of that survey: REML's λ within the search's
    /// bracket, β to 1e-7 of its scale, and each village's EBP effect and
    /// predictive standard deviation to 1e-5 (a λ within the bracket moves them
    /// that little); a village without survey households has effect 0 and
    /// standard deviation √(σ²_ε + σ²_η).
    func testRefitIsTheFitOfTheReplicateSurvey() throws {
        for seed in [UInt64(2), 3, 4] {
            let s = survey(seed: seed)
            let bootstrap = try NestedErrorModel(design: s.design, response: s.y, village: s.village, villageCount: 64).fit()
                .bootstrap(pool: [], threads: 1)
            let refit = try bootstrap.refit(s.other, xty: try BLAS.product(s.design, transpose: true, s.other))
            let direct = try NestedErrorModel(design: s.design, response: s.other, village: s.village, villageCount: 64).fit()
            let scale = direct.coefficients.map(abs).max()!
            for (a, b) in zip(refit.beta, direct.coefficients) { XCTAssertEqual(a, b, accuracy: 1e-7 * scale, "seed \(seed)") }
            for v in 0..<64 {
                let effect = direct.villageEffect(v)
                XCTAssertEqual(refit.eta[v], effect.mean, accuracy: 1e-5, "seed \(seed), village \(v)")
                XCTAssertEqual(refit.sd[v], (direct.sigma2Eps + effect.variance).squareRoot(), accuracy: 1e-5, "seed \(seed), village \(v)")
            }
            XCTAssertEqual(refit.eta[63], 0)
        }
    }

    /// The replicates do not depend on how many threads refit them.
    func testReplicatesAreTheSameOnOneThreadAndOnTwo() throws {
        let s = survey(seed: 5)
        let fit = try NestedErrorModel(design: s.design, response: s.y, village: s.village, villageCount: 64).fit()
        let pool = RegistryPass.pool(fit.standardisedResiduals)
        func replicates(threads: Int) throws -> ParametricBootstrap.Replicates {
            try fit.bootstrap(pool: pool, threads: threads).replicates(
                37, villageCount: 64, columns: s.design.columns, kept: fit.keptColumns, seed: 9, firstStream: 1 << 32)
        }
        let one = try replicates(threads: 1), two = try replicates(threads: 2)
        XCTAssertEqual(one.beta.storage, two.beta.storage)
        XCTAssertEqual(one.eta.storage, two.eta.storage)
        XCTAssertEqual(one.sd.storage, two.sd.storage)
        XCTAssertEqual(one.trueEta.storage, two.trueEta.storage)
        XCTAssertEqual(one.beta.columns, 37)
        // The drawn effects have the model's variance (37 × 64 draws: within 15%).
        let drawn = one.trueEta.storage
        XCTAssertEqual(drawn.reduce(0) { $0 + $1 * $1 } / Double(drawn.count), fit.sigma2Eta, accuracy: 0.15 * fit.sigma2Eta)
    }
}

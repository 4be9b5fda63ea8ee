import Foundation
import XCTest
@testable import LinearAlgebra
@testable import TepatScoring

/// Estimators checked against closed forms, hand-worked cases and Monte Carlo,
/// each with its tolerance stated.
final class WeightedLeastSquaresTests: XCTestCase {
    /// Simple regression with unit weights: closed forms for β, the classical
    /// and the HC1 standard errors.
    ///   x = 1…6, y = (1.2, 1.9, 3.2, 3.8, 5.3, 5.9)
    /// β₁ = Sxy/Sxx, β₀ = ȳ − β₁x̄; classical se(β₁) = σ̂/√Sxx;
    /// HC1 se(β₁) = √(n/(n−2) · Σ(xᵢ−x̄)²eᵢ² / Sxx²).
    func testSimpleRegressionClosedForm() throws {
        let x = [1.0, 2, 3, 4, 5, 6], y = [1.2, 1.9, 3.2, 3.8, 5.3, 5.9]
        let n = Double(x.count)
        let xbar = x.reduce(0, +) / n, ybar = y.reduce(0, +) / n
        let sxx = x.reduce(0) { $0 + ($1 - xbar) * ($1 - xbar) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - xbar) * ($1.1 - ybar) }
        let b1 = sxy / sxx, b0 = ybar - b1 * xbar
        let e = zip(x, y).map { $1 - b0 - b1 * $0 }
        let s2 = e.reduce(0) { $0 + $1 * $1 } / (n - 2)
        let hc1 = (n / (n - 2) * zip(x, e).reduce(0) { $0 + ($1.0 - xbar) * ($1.0 - xbar) * $1.1 * $1.1 } / (sxx * sxx)).squareRoot()
        // HC1 for the intercept: the sandwich's (0,0) element, from the same bread.
        let fit = try WeightedLeastSquares(design: Matrix(x.map { [1, $0] }), response: y, termNames: ["(intercept)", "x"]).fit()
        XCTAssertEqual(fit.coefficients[1], b1, accuracy: 1e-12)
        XCTAssertEqual(fit.coefficients[0], b0, accuracy: 1e-12)
        XCTAssertEqual(fit.standardErrors[1], (s2 / sxx).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(fit.standardErrors[0], (s2 * (1 / n + xbar * xbar / sxx)).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(fit.standardErrorsHC1[1], hc1, accuracy: 1e-12)
        let tss = y.reduce(0) { $0 + ($1 - ybar) * ($1 - ybar) }
        XCTAssertEqual(fit.r2, 1 - e.reduce(0) { $0 + $1 * $1 } / tss, accuracy: 1e-12)
        XCTAssertEqual(fit.adjustedR2, 1 - (1 - fit.r2) * (n - 1) / (n - 2), accuracy: 1e-12)
        XCTAssertEqual(fit.sigma, s2.squareRoot(), accuracy: 1e-12)
        // The summary states the fit and one line per term with its estimate.
        let summary = fit.summary().split(separator: "\n").map(String.init)
        XCTAssertTrue(summary[0].contains("n = 6, p = 2, rank 2"), summary[0])
        XCTAssertTrue(summary[0].contains(String(format: "R² %.4f", fit.r2)), summary[0])
        XCTAssertEqual(summary.count, 4)
        XCTAssertTrue(summary[3].hasPrefix("x "), summary[3])
        XCTAssertTrue(summary[3].contains(String(format: "%13.6g", b1)), summary[3])
    }

    /// Integer weights are frequency weights for the point estimates: WLS with
    /// weight w equals OLS with the row repeated w times (β and R²).
    func testIntegerWeightsEqualRepeatedRows() throws {
        let rows: [([Double], Double, Int)] = [([1, 0.5, 2], 1.0, 3), ([1, 1.5, 1], 2.2, 1), ([1, 2.0, 0], 2.9, 2),
                                               ([1, 3.1, 1], 4.4, 4), ([1, 4.0, 3], 5.1, 1), ([1, 5.2, 2], 6.3, 2)]
        let weighted = try WeightedLeastSquares(design: Matrix(rows.map(\.0)), response: rows.map(\.1), weights: rows.map { Double($0.2) }).fit()
        var expanded: [[Double]] = [], ys: [Double] = []
        for (x, y, w) in rows { for _ in 0..<w { expanded.append(x); ys.append(y) } }
        let repeated = try WeightedLeastSquares(design: Matrix(expanded), response: ys).fit()
        for j in 0..<3 { XCTAssertEqual(weighted.coefficients[j], repeated.coefficients[j], accuracy: 1e-10) }
        XCTAssertEqual(weighted.r2, repeated.r2, accuracy: 1e-12)
    }

    /// A survey where two terms are the same information: the later one is
    /// reported dropped and the intercept is kept.
    func testRankDeficientSurveyDropsTheLaterTerm() throws {
        let works = [1.0, 0, 1, 1, 0, 1, 1, 0]
        let design = Matrix(works.enumerated().map { [1, $1, 1 - $1, Double($0)] })
        let y = works.enumerated().map { 0.3 * Double($0) + 0.5 * $1 + 0.01 * Double($0 % 3) }
        let fit = try WeightedLeastSquares(design: design, response: y, termNames: ["(intercept)", "head_works", "head_sector=none", "t"]).fit()
        XCTAssertEqual(fit.dropped, ["head_sector=none"])
        XCTAssertEqual(fit.rank, 3)
        XCTAssertTrue(fit.standardErrors[2].isNaN)
        XCTAssertEqual(fit.coefficients[2], 0)
    }

    func testFewerRowsThanTermsIsAClearError() {
        let design = Matrix([[1, 2, 3], [1, 4, 5]])
        XCTAssertThrowsError(try WeightedLeastSquares(design: design, response: [1, 2]).fit()) {
            XCTAssertEqual($0 as? ScoringError, .surveyTooSmall(rows: 2, terms: 2))
        }
    }
}

final class FGTTests: XCTestCase {
    /// FGT on a small table worked by hand: line z = 100, four persons with
    /// consumption 50, 80, 100, 200 → P0 = 2/4, P1 = (0.5 + 0.2)/4 = 0.175,
    /// P2 = (0.25 + 0.04)/4 = 0.0725. A household that is poor with certainty
    /// (σ → 0) gives these through the closed forms.
    func testClosedFormsReduceToTheHandWorkedTable() {
        let lnz = log(100.0)
        var p = ExpectedFGT(p0: 0, p1: 0, p2: 0)
        for y in [50.0, 80, 100.0001, 200] {
            let f = ExpectedFGT(mean: log(y), sd: 1e-9, logPovertyLine: lnz)
            p.p0 += f.p0 / 4; p.p1 += f.p1 / 4; p.p2 += f.p2 / 4
        }
        XCTAssertEqual(p.p0, 0.5, accuracy: 1e-12)
        XCTAssertEqual(p.p1, 0.175, accuracy: 1e-7)
        XCTAssertEqual(p.p2, 0.0725, accuracy: 1e-7)
    }

    /// Against Monte Carlo: 4 million draws of ln y ~ N(μ, σ²); the closed forms
    /// must lie within 4 standard errors of the simulated means.
    func testClosedFormsAgainstMonteCarlo() {
        var sampler = NormalSampler(seed: 42, stream: 1)
        for (mu, sigma) in [(log(550_000.0) + 0.1, 0.4), (log(550_000.0) - 0.3, 0.6), (log(550_000.0) + 0.8, 0.35)] {
            let lnz = log(550_000.0), draws = 4_000_000
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, q1 = 0.0, q2 = 0.0
            for _ in 0..<draws {
                let t = mu + sigma * sampler.normal()
                if t < lnz {
                    let g = 1 - exp(t - lnz)
                    s0 += 1; s1 += g; s2 += g * g; q1 += g * g; q2 += g * g * g * g
                }
            }
            let n = Double(draws)
            let f = ExpectedFGT(mean: mu, sd: sigma, logPovertyLine: lnz)
            let se0 = (f.p0 * (1 - f.p0) / n).squareRoot(), se1 = (q1 / n / n).squareRoot(), se2 = (q2 / n / n).squareRoot()
            XCTAssertEqual(f.p0, s0 / n, accuracy: 4 * se0 + 1e-12)
            XCTAssertEqual(f.p1, s1 / n, accuracy: 4 * se1 + 1e-12)
            XCTAssertEqual(f.p2, s2 / n, accuracy: 4 * se2 + 1e-12)
        }
    }

    /// P1 and P2 against Gauss–Legendre quadrature of ∫(1 − e^t/z)^α φ dt over
    /// t < ln z with many nodes (agreement to 1e-9).
    func testClosedFormsAgainstQuadrature() {
        let mu = log(600_000.0), sigma = 0.45, lnz = log(550_000.0)
        // Composite Simpson on [μ − 12σ, ln z] with 200,000 panels.
        let a = mu - 12 * sigma, b = lnz, panels = 200_000
        let h = (b - a) / Double(panels)
        func integrand(_ t: Double, _ alpha: Double) -> Double {
            pow(1 - exp(t - lnz), alpha) * Normal.pdf((t - mu) / sigma) / sigma
        }
        for alpha in [1.0, 2.0] {
            var sum = integrand(a, alpha) + integrand(b, alpha)
            for k in 1..<panels { sum += integrand(a + Double(k) * h, alpha) * (k % 2 == 1 ? 4 : 2) }
            let quadrature = sum * h / 3
            let f = ExpectedFGT(mean: mu, sd: sigma, logPovertyLine: lnz)
            XCTAssertEqual(alpha == 1 ? f.p1 : f.p2, quadrature, accuracy: 1e-9)
        }
    }
}

final class DecileTests: XCTestCase {
    /// Ten one-person households of distinct welfare: one per decile. Ties are
    /// ordered by household_id, so equal welfare splits deterministically.
    func testDecilesAreMemberWeightedWithDeterministicTies() {
        let welfare = [5.0, 1, 1, 1, 2, 3, 4, 9, 8, 7]
        let ids = ["j", "c", "a", "b", "d", "e", "f", "i", "h", "g"]
        let d = Deciles.assign(welfare: welfare, members: Array(repeating: 1, count: 10)) { ids[$0] < ids[$1] }
        // Sorted: a(1) b(1) c(1) d(2) e(3) f(4) j(5) g(7) h(8) i(9)
        XCTAssertEqual(d, [7, 3, 1, 2, 4, 5, 6, 10, 9, 8])
        // Member weighting: a household of 5 among ten persons fills half the persons.
        let weighted = Deciles.assign(welfare: [1, 2, 3, 4, 5, 6], members: [5, 1, 1, 1, 1, 1]) { $0 < $1 }
        XCTAssertEqual(weighted, [1, 6, 7, 8, 9, 10])
    }

    func testSpearmanAndQuantile() {
        XCTAssertEqual(Spearman.correlation([1, 2, 3, 4], [10, 20, 30, 40]), 1, accuracy: 1e-15)
        XCTAssertEqual(Spearman.correlation([1, 2, 3, 4], [4, 3, 2, 1]), -1, accuracy: 1e-15)
        // Ties get average ranks: x ranks (1, 2.5, 2.5, 4).
        XCTAssertEqual(Spearman.ranks([1, 5, 5, 9]), [1, 2.5, 2.5, 4])
        // Type 7: quantile(0.25) of 1…5 = 2, of 1…4 = 1.75.
        XCTAssertEqual(Quantile.of(sorted: [1, 2, 3, 4, 5], 0.25), 2)
        XCTAssertEqual(Quantile.of(sorted: [1, 2, 3, 4], 0.25), 1.75)
    }
}

final class NestedErrorModelTests: XCTestCase {
    /// Simulated nested-error data with known β = (1, 0.5, −0.3), σ²_η = 0.09,
    /// σ²_ε = 0.25, 400 villages of 12: REML recovers the components within 20%
    /// and β within 4 standard errors; the EBP shrinks a village's mean residual
    /// by exactly γ_v.
    func testRecoversKnownComponents() throws {
        var sampler = NormalSampler(seed: 7, stream: 3)
        let villages = 400, per = 12
        var rows: [[Double]] = [], y: [Double] = [], village: [Int32] = []
        for v in 0..<villages {
            let eta = 0.3 * sampler.normal()
            for _ in 0..<per {
                let x1 = sampler.normal(), x2 = sampler.normal() + 0.5
                rows.append([1, x1, x2])
                y.append(1 + 0.5 * x1 - 0.3 * x2 + eta + 0.5 * sampler.normal())
                village.append(Int32(v))
            }
        }
        let fit = try NestedErrorModel(design: Matrix(rows), response: y, village: village, villageCount: villages).fit()
        XCTAssertEqual(fit.sigma2Eta, 0.09, accuracy: 0.2 * 0.09)
        XCTAssertEqual(fit.sigma2Eps, 0.25, accuracy: 0.2 * 0.25)
        for (j, truth) in [1.0, 0.5, -0.3].enumerated() {
            XCTAssertEqual(fit.coefficients[j], truth, accuracy: 4 * fit.covariance[j, j].squareRoot())
        }
        let gamma = fit.sigma2Eta / (fit.sigma2Eta + fit.sigma2Eps / Double(per))
        XCTAssertEqual(fit.villageEffect(5).mean, gamma * fit.meanResidual[5], accuracy: 1e-15)
        XCTAssertEqual(fit.villageEffect(5).variance, fit.sigma2Eta * (1 - gamma), accuracy: 1e-15)
        XCTAssertGreaterThan(fit.logLambdaSE, 0)
        XCTAssertTrue(fit.summary().contains(String(format: "σ²_η %.5g, σ²_ε %.5g", fit.sigma2Eta, fit.sigma2Eps)), fit.summary())
    }
}

/// The REML likelihood in Gram form (sums taken once, O(G·p²) per evaluation)
/// against the Fuller–Battese transform solved by QR, on a survey shaped like a
/// kabupaten's: one-hot categories, counts, unequal village sizes, a
/// village-level covariate.
final class GramREMLTests: XCTestCase {
    func survey(villages: Int, seed: UInt64) -> (design: Matrix, y: [Double], village: [Int32]) {
        var sampler = NormalSampler(seed: seed, stream: 9)
        var rows: [[Double]] = [], y: [Double] = [], village: [Int32] = []
        for v in 0..<villages {
            let eta = 0.25 * sampler.normal(), context = sampler.normal()
            for _ in 0..<(4 + sampler.index(15)) {
                let category = sampler.index(6)
                var row: [Double] = [1, context, sampler.normal(), Double(sampler.index(5)), log(Double(1 + sampler.index(7)))]
                for level in 1..<6 { row.append(category == level ? 1 : 0) }
                y.append(zip(row, [12.5, 0.3, -0.2, 0.05, -0.4, 0.1, 0.2, -0.1, 0.3, 0.15]).reduce(0) { $0 + $1.0 * $1.1 }
                         + eta + 0.45 * sampler.normal())
                rows.append(row)
                village.append(Int32(v))
            }
        }
        return (Matrix(rows), y, village)
    }

    func testLikelihoodEqualsTheQRFormTo1e8() throws {
        for (villages, seed) in [(70, UInt64(1)), (300, 2), (900, 3)] {
            let s = survey(villages: villages, seed: seed)
            let profile = try REMLProfile(design: s.design, response: s.y, village: s.village, villageCount: villages + 5)
            for lambda in [1e-6, 1e-3, 0.05, 0.3, 2, 100] {
                let qr = try profile.gls(lambda).logLikelihood, gram = try profile.gram.logLikelihood(lambda)
                XCTAssertEqual(gram, qr, accuracy: 1e-8 * abs(qr), "\(villages) villages, λ \(lambda)")
            }
        }
    }

    /// The maximum found in Gram form is the QR form's to the search's own
    /// precision: golden-section search on log λ stops at a bracket of 2·10⁻⁵,
    /// and near the top the likelihood is flat to 10⁻¹², below either form's
    /// rounding, so the two searches may part in the last steps. Both land
    /// inside that bracket, at the same likelihood.
    func testMaximumEqualsTheQRSearchWithinItsBracket() throws {
        for seed in [UInt64(4), 5, 6] {
            let s = survey(villages: 300, seed: seed)
            let profile = try REMLProfile(design: s.design, response: s.y, village: s.village, villageCount: 300)
            let gram = try profile.maximise()
            let lambdaQR = exp(try REMLProfile.maximumOfLogLambda { try profile.gls(exp($0)).logLikelihood })
            XCTAssertEqual(log(gram.lambda), log(lambdaQR), accuracy: 2e-5, "seed \(seed)")
            let qrFinal = try profile.gls(lambdaQR)
            XCTAssertEqual(gram.atMaximum.logLikelihood, qrFinal.logLikelihood, accuracy: 1e-10 * abs(qrFinal.logLikelihood))
            XCTAssertEqual(gram.sigma2Eps, qrFinal.sigma2Eps, accuracy: 1e-5 * qrFinal.sigma2Eps)
            XCTAssertEqual(gram.lambda * gram.sigma2Eps, lambdaQR * qrFinal.sigma2Eps, accuracy: 1e-4 * lambdaQR * qrFinal.sigma2Eps)
            // The coefficients from the sums are the QR's at the same λ (to 1e-8 of their scale).
            let qrSame = try profile.gls(gram.lambda)
            let scale = qrSame.solution.coefficients.map(abs).max()!
            for (a, b) in zip(gram.atMaximum.beta, qrSame.solution.coefficients) { XCTAssertEqual(a, b, accuracy: 1e-8 * scale) }
        }
    }
}

final class MultidimensionalPovertyTests: XCTestCase {
    /// Hand-worked Alkire–Foster: three indicators of weight 1/3, k = 1/3;
    /// persons (members) and deprivations:
    ///   A: 2 persons, deprived in i1           → score 1/3, poor
    ///   B: 3 persons, deprived in i1 and i2    → score 2/3, poor
    ///   C: 5 persons, deprived in none         → not poor
    /// H = 5/10 = 0.5; A = (2·1/3 + 3·2/3)/5 = 8/15; M0 = H·A = 4/15;
    /// contributions: i1 = (1/3)(5/10)/M0 = 5/8, i2 = (1/3)(3/10)/M0 = 3/8, i3 = 0.
    func testHandWorkedExample() {
        let mpi = MultidimensionalPoverty(indicators: [
            MPIIndicator(name: "i1", dimension: "d", weight: 1.0 / 3) { _ in [] },
            MPIIndicator(name: "i2", dimension: "d", weight: 1.0 / 3) { _ in [] },
            MPIIndicator(name: "i3", dimension: "d", weight: 1.0 / 3) { _ in [] },
        ], cutoff: 1.0 / 3)
        let flags = [[true, true, false], [false, true, false], [false, false, false]]
        let score = [1.0 / 3, 2.0 / 3, 0]
        let r = mpi.measure(score: score, flags: flags, members: [2, 3, 5], rows: [0, 1, 2])
        XCTAssertEqual(r.h, 0.5, accuracy: 1e-15)
        XCTAssertEqual(r.a, 8.0 / 15, accuracy: 1e-15)
        XCTAssertEqual(r.m0, 4.0 / 15, accuracy: 1e-15)
        XCTAssertEqual(r.contributions[0], 5.0 / 8, accuracy: 1e-14)
        XCTAssertEqual(r.contributions[1], 3.0 / 8, accuracy: 1e-14)
        XCTAssertEqual(r.contributions[2], 0)
    }

    func testDefaultWeightsSumToOne() {
        XCTAssertEqual(MultidimensionalPoverty.indonesiaDefault.indicators.reduce(0) { $0 + $1.weight }, 1, accuracy: 1e-12)
    }
}

final class AssetIndexTests: XCTestCase {
    /// Two indicators driven by one factor and a third of noise: the first
    /// component loads equally on the two and points towards more assets.
    /// 50,000 rows: sampling noise in a loading is then about 0.015.
    func testFirstComponentOfTwoCorrelatedIndicators() throws {
        var sampler = NormalSampler(seed: 3, stream: 9)
        var rows: [[Double]] = []
        for _ in 0..<50_000 {
            let f = sampler.normal()
            rows.append([f + 0.3 * sampler.normal(), f + 0.3 * sampler.normal(), sampler.normal()])
        }
        let fit = try AssetIndex(design: Matrix(rows)).fit(richerColumn: 0)
        XCTAssertGreaterThan(fit.loadings[0], 0)
        XCTAssertEqual(fit.loadings[0], fit.loadings[1], accuracy: 0.02)
        XCTAssertEqual(fit.loadings[0], 1 / 2.0.squareRoot(), accuracy: 0.02)
        XCTAssertEqual(fit.loadings[2], 0, accuracy: 0.03)
        // Correlation of the two is 1/1.09; the component explains (1 + ρ)/3 of the variance.
        XCTAssertEqual(fit.explainedShare, (1 + 1 / 1.09) / 3, accuracy: 0.02)
    }
}

final class RidgeTests: XCTestCase {
    func data(signal: Double, n: Int = 400, seed: UInt64 = 1) -> (Matrix, [Double]) {
        var sampler = NormalSampler(seed: seed, stream: 11)
        var rows: [[Double]] = [], y: [Double] = []
        for _ in 0..<n {
            let x = (0..<8).map { _ in sampler.normal() }
            rows.append([1] + x)
            y.append(2 + signal * (x[0] - 0.5 * x[1] + 0.25 * x[2]) + sampler.normal())
        }
        return (Matrix(rows), y)
    }

    /// The chosen fit solves the penalised normal equations (XᵀX + P)β = Xᵀy,
    /// with P = λ·diag(scale²) on every column but the intercept.
    func testFinalFitSolvesThePenalisedNormalEquations() throws {
        let (x, y) = data(signal: 0.3)
        let fit = try RidgeCrossValidation(design: x, response: y, unpenalized: [0]).fit()
        var xtx = BLAS.gram(x)
        for j in 1..<x.columns {
            let rms = (x.column(j).reduce(0) { $0 + $1 * $1 } / Double(x.rows)).squareRoot()
            xtx[j, j] += fit.lambda * rms * rms
        }
        let lhs = try BLAS.product(xtx, fit.coefficients)
        let rhs = try BLAS.product(x, transpose: true, y)
        for j in 0..<x.columns { XCTAssertEqual(lhs[j], rhs[j], accuracy: 1e-8 * max(1, abs(rhs[j]))) }
        XCTAssertEqual(fit.grid.first?.lambda, 0, "the grid starts with no penalty")
    }

    /// Cross-validation shrinks hard when the predictors carry nothing, and
    /// hardly at all when they carry a strong signal.
    func testPenaltyFollowsTheSignal() throws {
        let (xNoise, yNoise) = data(signal: 0)
        let (xSignal, ySignal) = data(signal: 2)
        let noise = try RidgeCrossValidation(design: xNoise, response: yNoise, unpenalized: [0]).fit()
        let signal = try RidgeCrossValidation(design: xSignal, response: ySignal, unpenalized: [0]).fit()
        XCTAssertGreaterThan(noise.lambda, 10 * max(signal.lambda, 1e-9))
        XCTAssertLessThanOrEqual(signal.cvRMSE, signal.unpenalizedRMSE + 1e-12)
        // Strong signal: coefficients close to the truth (2, 1·2, −0.5·2, 0.25·2).
        XCTAssertEqual(signal.coefficients[1], 2, accuracy: 0.15)
        XCTAssertEqual(signal.coefficients[2], -1, accuracy: 0.15)
    }
}

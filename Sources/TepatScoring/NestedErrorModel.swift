import Foundation
import LinearAlgebra

/// The nested-error (Battese–Harter–Fuller) model of small-area estimation:
///   ln y_h = x_h β + η_v + ε_h,  η_v ~ N(0, σ²_η),  ε_h ~ N(0, σ²_ε).
///
/// Variance components by REML (restricted maximum likelihood, profiled to one
/// dimension, the ratio σ²_η/σ²_ε, and maximised by golden-section search); β by
/// GLS through the Fuller–Battese transform, which turns GLS into ordinary QR
/// least squares; village effects by their empirical best predictor (EBP), the
/// shrunk mean residual. REML, unlike moments on OLS residuals, accounts for the
/// degrees of freedom the coefficients use: with village-level covariates in the
/// design, moments underestimated σ²_η by a fifth on generated data. Model-based,
/// as Molina and Rao's EBP: survey weights are not used here (the PMT
/// coefficients of pmt_coefficients.csv are the weighted fit).
public struct NestedErrorModel: Sendable {
    public let design: Matrix
    public let response: [Double]
    /// Village (index into the run's villages) of each survey household.
    public let village: [Int32]
    public let villageCount: Int
    /// Shrink the GLS coefficients by ridge, λ by 5-fold cross-validation on the
    /// Fuller–Battese-transformed survey (the intercept is not shrunk).
    public let ridge: Bool
    public let seed: UInt64

    public init(design: Matrix, response: [Double], village: [Int32], villageCount: Int, ridge: Bool = false, seed: UInt64 = 1) {
        self.design = design
        self.response = response
        self.village = village
        self.villageCount = villageCount
        self.ridge = ridge
        self.seed = seed
    }

    public func fit() throws -> NestedErrorFit {
        // Dependent columns are found once, on the untransformed design, and left
        // out of every REML evaluation (the transform keeps dependencies).
        let fullP = design.columns
        let kept = try LeastSquares.solve(design, response).keptColumns
        let design = kept.count == fullP ? self.design : self.design.selectingColumns(kept)
        let n = design.rows, p = design.columns
        var size = [Int](repeating: 0, count: villageCount)
        for v in village { size[Int(v)] += 1 }
        let sampled = (0..<villageCount).filter { size[$0] > 0 }
        guard sampled.count >= 2 else {
            throw ScoringError.noVariation("the survey covers fewer than two villages, so no village effect can be estimated")
        }
        var xMeans = Matrix(rows: villageCount, columns: p)
        var yMeans = [Double](repeating: 0, count: villageCount)
        for i in 0..<n {
            let v = Int(village[i])
            yMeans[v] += response[i] / Double(size[v])
            for j in 0..<p { xMeans[v, j] += design[i, j] / Double(size[v]) }
        }

        /// GLS for a variance ratio λ = σ²_η/σ²_ε through the Fuller–Battese
        /// transform (subtract θ_v = 1 − 1/√(1 + n_v λ) times the village mean from
        /// y and x), and the restricted log-likelihood profiled over β and σ²_ε:
        ///   ℓ_R(λ) = −½[(n−k)·log σ̂²_ε + Σ_v log(1 + n_v λ) + log|X*ᵀX*|].
        func gls(_ lambda: Double) throws -> (solution: LeastSquaresSolution, sigma2Eps: Double, logLikelihood: Double, x: Matrix, y: [Double]) {
            var theta = [Double](repeating: 0, count: villageCount)
            var logDetH = 0.0
            for v in sampled {
                let a = 1 + Double(size[v]) * lambda
                theta[v] = 1 - 1 / a.squareRoot()
                logDetH += log(a)
            }
            var xStar = design
            var yStar = response
            xStar.storage.withUnsafeMutableBufferPointer { x in
                xMeans.storage.withUnsafeBufferPointer { means in
                    for j in 0..<p {
                        for i in 0..<n {
                            let v = Int(village[i])
                            x[i + j * n] -= theta[v] * means[v + j * villageCount]
                        }
                    }
                }
            }
            for i in 0..<n { yStar[i] -= theta[Int(village[i])] * yMeans[Int(village[i])] }
            let solution = try LeastSquares.solve(xStar, yStar)
            let k = solution.rank
            let sigma2 = solution.residualSumOfSquares / Double(max(1, n - k))
            let logDetXtX = 2 * solution.r.diagonal.reduce(0) { $0 + log(abs($1)) }
            return (solution, sigma2, -0.5 * (Double(n - k) * log(sigma2) + logDetH + logDetXtX), xStar, yStar)
        }

        // REML: golden-section search of ℓ_R over log λ in [1e-6, 1e2].
        var lo = log(1e-6), hi = log(1e2)
        let golden = (5.0.squareRoot() - 1) / 2
        var a = hi - golden * (hi - lo), b = lo + golden * (hi - lo)
        var fa = try gls(exp(a)).logLikelihood, fb = try gls(exp(b)).logLikelihood
        for _ in 0..<28 {  // brackets log λ to within 2·10⁻⁵
            if fa > fb {
                hi = b; b = a; fb = fa
                a = hi - golden * (hi - lo); fa = try gls(exp(a)).logLikelihood
            } else {
                lo = a; a = b; fa = fb
                b = lo + golden * (hi - lo); fb = try gls(exp(b)).logLikelihood
            }
        }
        let logLambda = (lo + hi) / 2
        let lambda = exp(logLambda)
        let final = try gls(lambda)
        // Standard error of log λ from the curvature of ℓ_R at its maximum, so
        // replicates can carry the uncertainty of the variance ratio too.
        let step = 0.05
        let curvature = (try gls(exp(logLambda + step)).logLikelihood - 2 * final.logLikelihood
                         + (try gls(exp(logLambda - step)).logLikelihood)) / (step * step)
        let logLambdaSE = curvature < 0 ? (-1 / curvature).squareRoot() : 0
        let sigma2Eps = final.sigma2Eps
        let sigma2Eta = lambda * sigma2Eps
        var beta = final.solution.coefficients
        var reducedCovariance: Matrix
        var ridgeSummary: RidgeSummary? = nil
        if ridge {
            let cv = try RidgeCrossValidation(design: final.x, response: final.y, unpenalized: kept.first == 0 ? [0] : [], seed: seed).fit()
            beta = cv.coefficients
            reducedCovariance = cv.covariance
            ridgeSummary = RidgeSummary(lambda: cv.lambda, cvRMSE: cv.cvRMSE, unpenalizedCVRMSE: cv.unpenalizedRMSE)
        } else {
            let rInverse = try upperTriangularInverse(final.solution.r)
            let bread = try BLAS.product(rInverse, rInverse, transposeB: true)
            reducedCovariance = Matrix(rows: p, columns: p)
            for (a, ja) in final.solution.keptColumns.enumerated() {
                for (b, jb) in final.solution.keptColumns.enumerated() { reducedCovariance[ja, jb] = sigma2Eps * bread[a, b] }
            }
        }
        // Back to the full design's columns (dropped terms: coefficient 0, no variance).
        var covariance = Matrix(rows: fullP, columns: fullP)
        for a in 0..<p { for b in 0..<p { covariance[kept[a], kept[b]] = reducedCovariance[a, b] } }
        var coefficients = [Double](repeating: 0, count: fullP)
        for (k, j) in kept.enumerated() { coefficients[j] = beta[k] }

        // EBP of each sampled village's effect: γ_v (ȳ_v − x̄_v β), with
        // γ_v = σ²_η / (σ²_η + σ²_ε/n_v); its conditional variance σ²_η(1 − γ_v).
        var meanResidual = [Double](repeating: 0, count: villageCount)
        for v in sampled {
            var xbar = 0.0
            for j in 0..<p { xbar += xMeans[v, j] * beta[j] }
            meanResidual[v] = yMeans[v] - xbar
        }
        // Household residuals net of the EBP village effect, standardised to unit
        // variance: replicates draw from them (ELL) rather than from a normal, so
        // skewed or heavy-tailed welfare shows in the intervals.
        let fitted = try BLAS.product(design, beta)
        var residuals = (0..<n).map { i -> Double in
            let v = Int(village[i])
            let gamma = sigma2Eta / (sigma2Eta + sigma2Eps / Double(size[v]))
            return response[i] - fitted[i] - gamma * meanResidual[v]
        }
        let mean = residuals.reduce(0, +) / Double(n)
        let sd = (residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, n - 1))).squareRoot()
        residuals = residuals.map { sd > 0 ? ($0 - mean) / sd : 0 }
        return NestedErrorFit(
            coefficients: coefficients, covariance: covariance, sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps,
            logLambdaSE: logLambdaSE, surveySize: size, meanResidual: meanResidual,
            standardisedResiduals: residuals, surveyVillages: sampled.count, ridge: ridgeSummary)
    }
}

public struct NestedErrorFit: Sendable {
    public let coefficients: [Double]
    /// Covariance of the GLS coefficients (zero for dropped terms).
    public let covariance: Matrix
    public let sigma2Eta: Double
    public let sigma2Eps: Double
    /// Standard error of log(σ²_η/σ²_ε) from the REML curvature.
    public let logLambdaSE: Double
    /// Survey households per village.
    public let surveySize: [Int]
    /// ȳ_v − x̄_v β̂ for villages with survey households, else 0.
    public let meanResidual: [Double]
    /// Survey household residuals (net of village effects), mean 0, variance 1.
    public let standardisedResiduals: [Double]
    public let surveyVillages: Int
    /// Present when the coefficients were shrunk by ridge.
    public let ridge: RidgeSummary?

    /// EBP of η_v and Var(η_v | survey) for a village-effect variance σ²_η:
    /// γ_v (ȳ_v − x̄_v β̂) and σ²_η(1 − γ_v) with γ_v = σ²_η/(σ²_η + σ²_ε/n_v);
    /// 0 and σ²_η for a village without survey households.
    public func villageEffect(_ v: Int, sigma2Eta: Double? = nil) -> (mean: Double, variance: Double) {
        let s2 = sigma2Eta ?? self.sigma2Eta
        guard surveySize[v] > 0 else { return (0, s2) }
        let gamma = s2 / (s2 + sigma2Eps / Double(surveySize[v]))
        return (gamma * meanResidual[v], s2 * (1 - gamma))
    }

    public var villageEffects: [Double] { surveySize.indices.map { villageEffect($0).mean } }
    public var villageEffectVariances: [Double] { surveySize.indices.map { villageEffect($0).variance } }
}

public struct RidgeSummary: Sendable, Codable, Equatable {
    public var lambda: Double
    public var cvRMSE: Double
    public var unpenalizedCVRMSE: Double
}

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
        let kept = try LeastSquares.solve(design, response).keptColumns
        let profile = try REMLProfile(
            design: kept.count == design.columns ? design : design.selectingColumns(kept),
            response: response, village: village, villageCount: villageCount)
        let reml = try profile.maximise()
        let sigma2Eps = reml.final.sigma2Eps
        let sigma2Eta = reml.lambda * sigma2Eps
        let (beta, reducedCovariance, ridgeSummary) = try coefficients(reml.final, kept: kept, sigma2Eps: sigma2Eps)
        // Back to the full design's columns (dropped terms: coefficient 0, no variance).
        let fullP = design.columns, p = kept.count
        var covariance = Matrix(rows: fullP, columns: fullP)
        for a in 0..<p { for b in 0..<p { covariance[kept[a], kept[b]] = reducedCovariance[a, b] } }
        var coefficients = [Double](repeating: 0, count: fullP)
        for (k, j) in kept.enumerated() { coefficients[j] = beta[k] }
        let meanResidual = profile.meanResiduals(beta)
        return NestedErrorFit(
            coefficients: coefficients, covariance: covariance, sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps,
            logLambdaSE: reml.logLambdaSE, surveySize: profile.size, meanResidual: meanResidual,
            standardisedResiduals: try profile.standardisedResiduals(beta, meanResidual: meanResidual, sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps),
            surveyVillages: profile.sampled.count, ridge: ridgeSummary)
    }

    /// GLS coefficients at the REML variance ratio and their covariance, on the
    /// kept columns; shrunk by ridge when asked.
    private func coefficients(_ final: REMLProfile.GLS, kept: [Int], sigma2Eps: Double) throws -> ([Double], Matrix, RidgeSummary?) {
        if ridge {
            let cv = try RidgeCrossValidation(design: final.x, response: final.y, unpenalized: kept.first == 0 ? [0] : [], seed: seed).fit()
            return (cv.coefficients, cv.covariance, RidgeSummary(lambda: cv.lambda, cvRMSE: cv.cvRMSE, unpenalizedCVRMSE: cv.unpenalizedRMSE))
        }
        let p = kept.count
        let rInverse = try upperTriangularInverse(final.solution.r)
        let bread = try BLAS.product(rInverse, rInverse, transposeB: true)
        var covariance = Matrix(rows: p, columns: p)
        for (a, ja) in final.solution.keptColumns.enumerated() {
            for (b, jb) in final.solution.keptColumns.enumerated() { covariance[ja, jb] = sigma2Eps * bread[a, b] }
        }
        return (final.solution.coefficients, covariance, nil)
    }
}

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
    /// The design's independent columns when a fit of the same design has
    /// already found them (the PMT's); nil: found here.
    public let keptColumns: [Int]?

    public init(design: Matrix, response: [Double], village: [Int32], villageCount: Int, ridge: Bool = false, seed: UInt64 = 1,
                keptColumns: [Int]? = nil) {
        self.keptColumns = keptColumns
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
        let kept = try keptColumns ?? LeastSquares.solve(design, response).keptColumns
        let profile = try REMLProfile(
            design: kept.count == design.columns ? design : design.selectingColumns(kept),
            response: response, village: village, villageCount: villageCount)
        let reml = try profile.maximise()
        let sigma2Eps = reml.sigma2Eps
        let sigma2Eta = reml.lambda * sigma2Eps
        let (beta, reducedCovariance, ridgeSummary) = try coefficients(profile, reml.lambda, reml.atMaximum, kept: kept, sigma2Eps: sigma2Eps)
        // Back to the full design's columns (dropped terms: coefficient 0, no variance).
        let fullP = design.columns, p = kept.count
        var covariance = Matrix(rows: fullP, columns: fullP)
        for a in 0..<p { for b in 0..<p { covariance[kept[a], kept[b]] = reducedCovariance[a, b] } }
        var coefficients = [Double](repeating: 0, count: fullP)
        for (k, j) in kept.enumerated() { coefficients[j] = beta[k] }
        let meanResidual = profile.meanResiduals(beta)
        let posterior = try ModelPosterior(gram: profile.gram, sampled: profile.sampled, logLambda: log(reml.lambda), logLambdaSE: reml.logLambdaSE)
        // The replicates' β* spread around the GLS at each λ*; ridge moves their centre.
        let shift = (0..<p).map { beta[$0] - reml.atMaximum.beta[$0] }
        return NestedErrorFit(
            coefficients: coefficients, covariance: covariance, sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps,
            logLambdaSE: reml.logLambdaSE, surveySize: profile.size, meanResidual: meanResidual,
            standardisedResiduals: try profile.standardisedResiduals(beta, meanResidual: meanResidual, sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps),
            surveyVillages: profile.sampled.count, ridge: ridgeSummary,
            posterior: posterior, keptColumns: kept, posteriorShift: shift, profile: profile)
    }

    /// GLS coefficients at the REML variance ratio and their covariance
    /// σ²_ε (X*ᵀX*)⁻¹, on the kept columns; shrunk by ridge when asked (its
    /// cross-validation needs the transformed survey itself, so QR then).
    private func coefficients(
        _ profile: REMLProfile, _ lambda: Double, _ atMaximum: GramSolution, kept: [Int], sigma2Eps: Double
    ) throws -> ([Double], Matrix, RidgeSummary?) {
        if ridge {
            let final = try profile.gls(lambda)
            let cv = try RidgeCrossValidation(design: final.x, response: final.y, unpenalized: kept.first == 0 ? [0] : [], seed: seed).fit()
            return (cv.coefficients, cv.covariance, RidgeSummary(lambda: cv.lambda, cvRMSE: cv.cvRMSE, unpenalizedCVRMSE: cv.unpenalizedRMSE))
        }
        var covariance = try atMaximum.factor.inverse()
        for i in covariance.storage.indices { covariance.storage[i] *= sigma2Eps }
        return (atMaximum.beta, covariance, nil)
    }
}

import Foundation
import LinearAlgebra

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
    /// The parameters' distribution the replicates draw from, on the kept columns.
    let posterior: ModelPosterior
    let keptColumns: [Int]
    let posteriorShift: [Double]
    /// The survey's sums the fit came from, which the bootstrap refits.
    let profile: REMLProfile

    /// The parametric bootstrap of this fit, drawing household errors from `pool`.
    func bootstrap(pool: [Double], threads: Int) -> ParametricBootstrap {
        ParametricBootstrap(profile: profile, beta: keptColumns.map { coefficients[$0] }, sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps,
                            shift: posteriorShift, pool: pool, threads: threads)
    }

    /// EBP of η_v and Var(η_v | survey): γ_v (ȳ_v − x̄_v β̂) and σ²_η(1 − γ_v)
    /// with γ_v = σ²_η/(σ²_η + σ²_ε/n_v); 0 and σ²_η for a village without
    /// survey households.
    public func villageEffect(_ v: Int) -> (mean: Double, variance: Double) {
        guard surveySize[v] > 0 else { return (0, sigma2Eta) }
        let gamma = Self.shrinkage(sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps, surveyHouseholds: Double(surveySize[v]))
        return (gamma * meanResidual[v], sigma2Eta * (1 - gamma))
    }

    /// γ_v = σ²_η/(σ²_η + σ²_ε/n_v): how much of a village's mean residual its
    /// EBP effect keeps, with n_v survey households there.
    static func shrinkage(sigma2Eta: Double, sigma2Eps: Double, surveyHouseholds n: Double) -> Double {
        sigma2Eta / (sigma2Eta + sigma2Eps / n)
    }

    /// B replicate draws of the parameters: β* (p × B, the full design's
    /// columns, 0 for dropped terms), the village effects (V × B) and σ*_ε.
    func replicates(_ count: Int, sampler: inout NormalSampler) throws -> (beta: Matrix, eta: Matrix, sigmaEps: [Double]) {
        let villageCount = surveySize.count
        var beta = Matrix(rows: coefficients.count, columns: count)
        var eta = Matrix(rows: villageCount, columns: count)
        var sigmaEps = [Double](repeating: 0, count: count)
        for b in 0..<count {
            let draw = try posterior.draw(villageCount: villageCount, shift: posteriorShift, sampler: &sampler)
            for (k, j) in keptColumns.enumerated() { beta[j, b] = draw.beta[k] }
            for v in 0..<villageCount { eta[v, b] = draw.eta[v] }
            sigmaEps[b] = draw.sigma2Eps.squareRoot()
        }
        return (beta, eta, sigmaEps)
    }

    public var villageEffects: [Double] { surveySize.indices.map { villageEffect($0).mean } }
    public var villageEffectVariances: [Double] { surveySize.indices.map { villageEffect($0).variance } }
}

public struct RidgeSummary: Sendable, Codable, Equatable {
    public var lambda: Double
    public var cvRMSE: Double
    public var unpenalizedCVRMSE: Double
}

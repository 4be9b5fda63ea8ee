import Foundation
import LinearAlgebra

/// Draws of the nested-error model's parameters for a plan's replicates
/// (`ReplicatePredictor`), carrying the uncertainty of the variance
/// components as well as of β. With few sampled
/// villages the restricted likelihood of λ = σ²_η/σ²_ε is wide and skewed, so
/// a normal on log λ from the curvature at the maximum misstates it. Instead, as in the
/// hierarchical-Bayes EBP of Molina, Nandram and Rao (2014) with flat priors:
/// λ* is drawn from the restricted likelihood on a grid around its maximum (a
/// flat prior on λ), then σ²*_ε | λ* from its scaled inverse χ², then
/// β* | λ*, σ²*_ε from the GLS at λ*, and the village effects given all three.
struct ModelPosterior: Sendable {
    /// The GLS at each grid point, and the cumulated posterior mass up to it.
    let points: [GramSolution]
    let cumulative: [Double]
    /// The survey's sums: its sampled villages' sizes and means.
    let gram: GramSums
    /// Sampled villages (run indices), in `gram`'s order.
    let sampled: [Int]

    /// Grid points over log λ; a replicate takes one of them, a step of a
    /// quarter of the curvature standard error, too fine to show in a percentile.
    static let gridPoints = 33

    init(gram: GramSums, sampled: [Int], logLambda: Double, logLambdaSE: Double) throws {
        // ±4 standard errors (at least ±1 in log λ, where the curvature says
        // little), inside the range REML searches.
        let halfWidth = 4 * max(0.25, logLambdaSE.isFinite ? logLambdaSE : 0)
        let lo = max(log(1e-6), logLambda - halfWidth), hi = min(log(1e2), logLambda + halfWidth)
        let step = (hi - lo) / Double(Self.gridPoints - 1)
        points = try (0..<Self.gridPoints).map { try gram.solve(exp(lo + Double($0) * step)) }
        // Density on log λ: likelihood × λ (the Jacobian of a flat prior on λ).
        let logMass = points.map { $0.logLikelihood + log($0.lambda) }
        let top = logMass.max() ?? 0
        var total = 0.0
        cumulative = logMass.map { total += exp($0 - top); return total }.map { $0 / total }
        self.gram = gram
        self.sampled = sampled
    }

    /// One replicate's parameters: β* on the kept columns, σ²*_ε, σ²*_η, and
    /// the village effects of all `villageCount` villages.
    struct Draw {
        var beta: [Double]
        var sigma2Eps: Double
        var sigma2Eta: Double
        var eta: [Double]
    }

    /// `shift` moves every β* by a constant (the ridge coefficients' distance
    /// from the GLS ones; zeros without ridge).
    func draw(villageCount: Int, shift: [Double], sampler: inout NormalSampler) throws -> Draw {
        let u = sampler.uniform()
        let point = points[cumulative.firstIndex { u < $0 } ?? points.count - 1]
        // n − p of the kept design: the degrees of freedom of σ²_ε.
        let sigma2Eps = point.rss / sampler.chiSquare(max(1, gram.n - gram.p))
        let z = (0..<point.beta.count).map { _ in sampler.normal() }
        let deviation = try point.factor.solveTransposedFactor(z)
        let beta = (0..<point.beta.count).map { point.beta[$0] + shift[$0] + sigma2Eps.squareRoot() * deviation[$0] }
        let sigma2Eta = point.lambda * sigma2Eps
        // Village effects: N(0, σ²_η) where no survey household lives; else
        // their distribution given the survey, γ_v(ȳ_v − x̄_v β*) and σ²_η(1 − γ_v).
        var eta = (0..<villageCount).map { _ in sigma2Eta.squareRoot() * sampler.normal() }
        let fitted = try BLAS.product(gram.means, beta)
        for (k, v) in sampled.enumerated() {
            let gamma = NestedErrorFit.shrinkage(sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps, surveyHouseholds: gram.sizes[k])
            eta[v] = gamma * (gram.meanResponse[k] - fitted[k]) + (sigma2Eta * (1 - gamma)).squareRoot() * sampler.normal()
        }
        return Draw(beta: beta, sigma2Eps: sigma2Eps, sigma2Eta: sigma2Eta, eta: eta)
    }
}

import Foundation
import LinearAlgebra
import TepatData

/// The parametric bootstrap of the EBP (González-Manteiga et al. 2008; Molina
/// and Rao 2010): populations are drawn from the fitted model, the model is
/// fitted again on each one's survey, and the errors of the refitted EBPs
/// against the drawn populations' own P0 give the intervals. Replicate b
/// draws η*_v ~ N(0, σ̂²_η) for every village and ε* = σ̂_ε·e for every survey
/// and registry household (e from the survey's standardised residuals); its
/// survey responds y* = x β̂ + η*_v + ε*, on which REML and GLS are refitted.
///
/// Unlike draws of the parameters from their distribution given the survey,
/// this measures the estimator itself, bias included: at 700 survey
/// households the EBP of P0 is biased upwards by about 0.004, and the
/// bootstrap's intervals hold the truth more often while being narrower
/// (Docs/model.md §5).
struct ParametricBootstrap: Sendable {
    /// The survey's design (kept columns), villages and sums.
    let profile: REMLProfile
    /// The point model on the kept columns: β̂ (ridge-shrunk when asked), σ̂²_η, σ̂²_ε.
    let beta: [Double]
    let sigma2Eta: Double
    let sigma2Eps: Double
    /// The ridge coefficients' distance from the GLS ones, added to every refit (zeros without ridge).
    let shift: [Double]
    /// Standardised residuals the household errors are drawn from; empty: normal draws.
    let pool: [Double]
    let threads: Int

    /// Replicates drawn and refitted together: one GEMM gives their Xᵀy*.
    static let block = 16

    /// The drawn populations' village effects and the refitted models, for
    /// the registry pass: there, household h of village v under replicate b
    /// is poor in the drawn population when x_h β̂ + η*_{v,b} + σ̂_ε e < ln z,
    /// and its refitted EBP is Φ((ln z − x_h β̂*_b − η̂*_{v,b}) / s*_{v,b}).
    struct Replicates: Sendable {
        /// V × B: the drawn village effects η*.
        var trueEta: Matrix
        /// σ̂_ε, the drawn household errors' scale.
        var sigmaEps: Double
        /// p × B on the full design's columns (0 for dropped terms): β̂*.
        var beta: Matrix
        /// V × B: the refitted EBP of each village effect, η̂*.
        var eta: Matrix
        /// V × B: s* = √(σ̂*²_ε + Var*(η_v | survey*)), its inverse, and e^{s*²}:
        /// what the EBP needs for every household of the village.
        var sd: Matrix
        var inverseSD: Matrix
        var expVariance: Matrix
    }

    /// B replicates; `columns` is the full design's width and `kept` the kept
    /// columns' places in it. Replicate b draws from random stream
    /// `firstStream + b` of `seed`, so the replicates do not depend on how
    /// many threads draw and refit them.
    func replicates(_ count: Int, villageCount: Int, columns: Int, kept: [Int], seed: UInt64, firstStream: UInt64) throws -> Replicates {
        var result = Replicates(trueEta: Matrix(rows: villageCount, columns: count), sigmaEps: sigma2Eps.squareRoot(),
                                beta: Matrix(rows: columns, columns: count), eta: Matrix(rows: villageCount, columns: count),
                                sd: Matrix(rows: villageCount, columns: count), inverseSD: Matrix(rows: villageCount, columns: count),
                                expVariance: Matrix(rows: villageCount, columns: count))
        let fitted = try BLAS.product(profile.design, beta)
        for first in stride(from: 0, to: count, by: Self.block) {
            let size = min(Self.block, count - first)
            let drawn = parallel(size) { k in
                var sampler = NormalSampler(seed: seed, stream: firstStream &+ UInt64(first + k))
                return self.population(fitted: fitted, villageCount: villageCount, sampler: &sampler)
            }
            var responses = Matrix(rows: profile.design.rows, columns: size)
            for k in 0..<size {
                responses.storage.replaceSubrange((k * responses.rows)..<((k + 1) * responses.rows), with: drawn[k].response)
                for v in 0..<villageCount { result.trueEta[v, first + k] = drawn[k].effects[v] }
            }
            let crossProducts = try BLAS.product(profile.design, transposeA: true, responses)
            let refits = try parallel(size) { k in
                Result { try self.refit(drawn[k].response, xty: crossProducts.column(k)) }
            }.map { try $0.get() }
            for (k, refit) in refits.enumerated() {
                for (a, j) in kept.enumerated() { result.beta[j, first + k] = refit.beta[a] }
                for v in 0..<villageCount {
                    result.eta[v, first + k] = refit.eta[v]
                    result.sd[v, first + k] = refit.sd[v]
                    result.inverseSD[v, first + k] = 1 / refit.sd[v]
                    result.expVariance[v, first + k] = exp(refit.sd[v] * refit.sd[v])
                }
            }
        }
        return result
    }

    /// One drawn population's village effects, and its survey's response.
    func population(fitted: [Double], villageCount: Int, sampler: inout NormalSampler) -> (effects: [Double], response: [Double]) {
        let effects = (0..<villageCount).map { _ in sigma2Eta.squareRoot() * sampler.normal() }
        let response = fitted.indices.map { i -> Double in
            let e = pool.isEmpty ? sampler.normal() : pool[sampler.index(pool.count)]
            return fitted[i] + effects[Int(profile.village[i])] + sigma2Eps.squareRoot() * e
        }
        return (effects, response)
    }

    /// `work(k)` for k in 0..<count on up to `threads` workers, in order of k.
    private func parallel<T>(_ count: Int, _ work: @escaping @Sendable (Int) -> T) -> [T] {
        let slots = WorkerSlots<T>(count: count)
        let workers = max(1, min(threads, count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for k in stride(from: worker, to: count, by: workers) { slots.store(k, work(k)) }
        }
        return (0..<count).map { slots.value($0) }
    }

    /// One refitted model: β̂* (kept columns), and per village η̂* and s*.
    struct Refit {
        var beta: [Double]
        var eta: [Double]
        var sd: [Double]
    }

    /// REML and GLS on the survey with response `y` (its Xᵀy given), as the
    /// point fit does them, and the village effects' EBPs.
    func refit(_ y: [Double], xty: [Double]) throws -> Refit {
        let gram = profile.gram
        var means = [Double](repeating: 0, count: profile.villageCount)
        for (i, v) in profile.village.enumerated() { means[Int(v)] += y[i] }
        let meanResponse = profile.sampled.indices.map { means[profile.sampled[$0]] / gram.sizes[$0] }
        let sums = try gram.replacingResponse(xty: xty, yty: y.reduce(0) { $0 + $1 * $1 }, meanResponse: meanResponse)
        let logLambda = try REMLProfile.maximumOfLogLambda { try sums.logLikelihood(exp($0)) }
        let solution = try sums.solve(exp(logLambda))
        let sigma2Eps = solution.rss / Double(max(1, sums.n - sums.p))
        let sigma2Eta = solution.lambda * sigma2Eps
        let beta = zip(solution.beta, shift).map { $0 + $1 }
        var eta = [Double](repeating: 0, count: profile.villageCount)
        var sd = [Double](repeating: (sigma2Eps + sigma2Eta).squareRoot(), count: profile.villageCount)
        let xbar = try BLAS.product(gram.means, beta)
        for (k, v) in profile.sampled.enumerated() {
            let gamma = NestedErrorFit.shrinkage(sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps, surveyHouseholds: gram.sizes[k])
            eta[v] = gamma * (meanResponse[k] - xbar[k])
            sd[v] = (sigma2Eps + sigma2Eta * (1 - gamma)).squareRoot()
        }
        return Refit(beta: beta, eta: eta, sd: sd)
    }
}

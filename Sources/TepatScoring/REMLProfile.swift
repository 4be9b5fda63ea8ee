import Foundation
import LinearAlgebra

/// The restricted likelihood of the nested-error model as a function of the
/// variance ratio λ = σ²_η/σ²_ε, on a design with independent columns; the
/// village means of the design and response it needs are taken once.
struct REMLProfile: Sendable {
    let design: Matrix
    let response: [Double]
    let village: [Int32]
    let villageCount: Int
    /// Survey households per village, and the villages that have some.
    let size: [Int]
    let sampled: [Int]
    let xMeans: Matrix
    let yMeans: [Double]
    /// The sums the likelihood needs, in Gram form: XᵀX, Xᵀy, yᵀy, and the
    /// sampled villages' sizes and means.
    let gram: GramSums

    init(design: Matrix, response: [Double], village: [Int32], villageCount: Int) throws {
        self.design = design
        self.response = response
        self.village = village
        self.villageCount = villageCount
        var size = [Int](repeating: 0, count: villageCount)
        for v in village { size[Int(v)] += 1 }
        sampled = (0..<villageCount).filter { size[$0] > 0 }
        guard sampled.count >= 2 else {
            throw ScoringError.noVariation("the survey covers fewer than two villages, so no village effect can be estimated")
        }
        let n = design.rows, p = design.columns
        var xMeans = Matrix(rows: villageCount, columns: p)
        var yMeans = [Double](repeating: 0, count: villageCount)
        for i in 0..<n {
            let v = Int(village[i])
            yMeans[v] += response[i] / Double(size[v])
            for j in 0..<p { xMeans[v, j] += design[i, j] / Double(size[v]) }
        }
        self.size = size
        self.xMeans = xMeans
        self.yMeans = yMeans
        gram = try GramSums(design: design, response: response, sampled: sampled, size: size, xMeans: xMeans, yMeans: yMeans)
    }

    /// The GLS fit at one λ, with its restricted log-likelihood.
    struct GLS {
        let solution: LeastSquaresSolution
        let sigma2Eps: Double
        let logLikelihood: Double
        /// The transformed design and response.
        let x: Matrix
        let y: [Double]
    }

    /// GLS for a variance ratio λ through the Fuller–Battese transform
    /// (subtract θ_v = 1 − 1/√(1 + n_v λ) times the village mean from y and x),
    /// and the restricted log-likelihood profiled over β and σ²_ε:
    ///   ℓ_R(λ) = −½[(n−k)·log σ̂²_ε + Σ_v log(1 + n_v λ) + log|X*ᵀX*|].
    func gls(_ lambda: Double) throws -> GLS {
        let n = design.rows, p = design.columns
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
        return GLS(solution: solution, sigma2Eps: sigma2, logLikelihood: -0.5 * (Double(n - k) * log(sigma2) + logDetH + logDetXtX),
                   x: xStar, y: yStar)
    }

    /// Golden-section search of ℓ_R over log λ, each evaluation in Gram form;
    /// the standard error of log λ from the curvature at the maximum, where
    /// the replicates' grid of λ is centred; and the GLS at the maximum, also
    /// from the sums (`gls` gives the same fit by QR).
    func maximise() throws -> (lambda: Double, atMaximum: GramSolution, sigma2Eps: Double, logLambdaSE: Double) {
        let logLambda = try Self.maximumOfLogLambda { try gram.logLikelihood(exp($0)) }
        let step = 0.05
        let atMaximum = try gram.solve(exp(logLambda))
        let curvature = (try gram.logLikelihood(exp(logLambda + step)) - 2 * (try gram.logLikelihood(exp(logLambda)))
                         + (try gram.logLikelihood(exp(logLambda - step)))) / (step * step)
        return (exp(logLambda), atMaximum, atMaximum.rss / Double(max(1, gram.n - gram.p)),
                curvature < 0 ? (-1 / curvature).squareRoot() : 0)
    }

    /// The log λ in [log 10⁻⁶, log 10²] that maximises `likelihood` (a function
    /// of log λ), by golden-section search to a bracket of 2·10⁻⁵.
    static func maximumOfLogLambda(_ likelihood: (Double) throws -> Double) rethrows -> Double {
        var lo = log(1e-6), hi = log(1e2)
        let golden = (5.0.squareRoot() - 1) / 2
        var a = hi - golden * (hi - lo), b = lo + golden * (hi - lo)
        var fa = try likelihood(a), fb = try likelihood(b)
        for _ in 0..<28 {
            if fa > fb {
                hi = b; b = a; fb = fa
                a = hi - golden * (hi - lo); fa = try likelihood(a)
            } else {
                lo = a; a = b; fa = fb
                b = lo + golden * (hi - lo); fb = try likelihood(b)
            }
        }
        return (lo + hi) / 2
    }

    /// ȳ_v − x̄_v β for each sampled village (0 elsewhere): the EBP of its
    /// effect is γ_v times it, γ_v = σ²_η / (σ²_η + σ²_ε/n_v).
    func meanResiduals(_ beta: [Double]) -> [Double] {
        var meanResidual = [Double](repeating: 0, count: villageCount)
        for v in sampled {
            var xbar = 0.0
            for j in 0..<design.columns { xbar += xMeans[v, j] * beta[j] }
            meanResidual[v] = yMeans[v] - xbar
        }
        return meanResidual
    }

    /// Household residuals net of the EBP village effect, standardised to unit
    /// variance: replicates draw from them (ELL) rather than from a normal, so
    /// skewed or heavy-tailed welfare shows in the intervals.
    func standardisedResiduals(_ beta: [Double], meanResidual: [Double], sigma2Eta: Double, sigma2Eps: Double) throws -> [Double] {
        let n = design.rows
        let fitted = try BLAS.product(design, beta)
        let residuals = (0..<n).map { i -> Double in
            let v = Int(village[i])
            let gamma = NestedErrorFit.shrinkage(sigma2Eta: sigma2Eta, sigma2Eps: sigma2Eps, surveyHouseholds: Double(size[v]))
            return response[i] - fitted[i] - gamma * meanResidual[v]
        }
        let mean = residuals.reduce(0, +) / Double(n)
        let sd = (residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, n - 1))).squareRoot()
        return residuals.map { sd > 0 ? ($0 - mean) / sd : 0 }
    }
}

/// ℓ_R(λ) from sums taken once. With w_v = n_v²λ/(1 + n_vλ), the transformed
/// design's cross-products are X*ᵀX* = XᵀX − Σ_v w_v x̄_v x̄_vᵀ, X*ᵀy* = Xᵀy −
/// Σ_v w_v x̄_v ȳ_v and y*ᵀy* = yᵀy − Σ_v w_v ȳ_v². w_v depends on the village
/// only through its survey size n_v, so the sums over villages are taken once
/// per size: a SUSENAS-like survey, 10 households in every block, has one, and
/// an evaluation costs O(sizes·p²) and a p×p Cholesky instead of a QR of the
/// n×p survey.
struct GramSums: Sendable {
    let n: Int, p: Int
    let xtx: Matrix
    let xty: [Double]
    let yty: Double
    /// Sampled villages only: sizes, and means of the design (S×p) and response.
    let sizes: [Double]
    let means: Matrix
    let meanResponse: [Double]
    /// Per distinct survey size: the size, its number of villages, and the
    /// sums Σ x̄_v x̄_vᵀ, Σ x̄_v ȳ_v and Σ ȳ_v² over its villages.
    let bySize: [SizeSums]

    struct SizeSums: Sendable {
        let size: Double
        let villages: Double
        /// Its villages, as indices into `sizes`, and their rows of `means`.
        let members: [Int]
        let block: Matrix
        let xx: Matrix
        let xy: [Double]
        let yy: Double

        /// The same villages with the sampled villages' mean responses `meanResponse`.
        func with(meanResponse: [Double]) throws -> SizeSums {
            let y = members.map { meanResponse[$0] }
            return SizeSums(size: size, villages: villages, members: members, block: block, xx: xx,
                            xy: try BLAS.product(block, transpose: true, y), yy: y.reduce(0) { $0 + $1 * $1 })
        }
    }

    init(design: Matrix, response: [Double], sampled: [Int], size: [Int], xMeans: Matrix, yMeans: [Double]) throws {
        n = design.rows
        p = design.columns
        xtx = BLAS.gram(design)
        xty = try BLAS.product(design, transpose: true, response)
        yty = response.reduce(0) { $0 + $1 * $1 }
        sizes = sampled.map { Double(size[$0]) }
        var means = Matrix(rows: sampled.count, columns: p)
        for (k, v) in sampled.enumerated() { for j in 0..<p { means[k, j] = xMeans[v, j] } }
        self.means = means
        let meanResponse = sampled.map { yMeans[$0] }
        self.meanResponse = meanResponse
        let columns = p
        let groups = Dictionary(grouping: sampled.indices, by: { size[sampled[$0]] })
        bySize = try groups.keys.sorted().map { villageSize in
            let members = groups[villageSize]!
            var block = Matrix(rows: members.count, columns: columns)
            for (row, k) in members.enumerated() { for j in 0..<columns { block[row, j] = means[k, j] } }
            return try SizeSums(size: Double(villageSize), villages: Double(members.count), members: members, block: block,
                                xx: BLAS.gram(block), xy: [], yy: 0).with(meanResponse: meanResponse)
        }
    }

    private init(n: Int, p: Int, xtx: Matrix, xty: [Double], yty: Double, sizes: [Double], means: Matrix, meanResponse: [Double],
                 bySize: [SizeSums]) {
        (self.n, self.p, self.xtx, self.xty, self.yty) = (n, p, xtx, xty, yty)
        (self.sizes, self.means, self.meanResponse, self.bySize) = (sizes, means, meanResponse, bySize)
    }

    /// The same survey with another response, given its cross-products Xᵀy
    /// and yᵀy and its sampled villages' means: the sums that depend on the
    /// design alone are kept, so a bootstrap replicate's refit costs O(S·p)
    /// here instead of O(n·p²).
    func replacingResponse(xty: [Double], yty: Double, meanResponse: [Double]) throws -> GramSums {
        GramSums(n: n, p: p, xtx: xtx, xty: xty, yty: yty, sizes: sizes, means: means, meanResponse: meanResponse,
                 bySize: try bySize.map { try $0.with(meanResponse: meanResponse) })
    }

    /// The restricted log-likelihood, profiled over β and σ²_ε, as `REMLProfile.gls`
    /// computes it: from log|X*ᵀX*| and the residual sum of squares
    /// y*ᵀy* − b*ᵀ(X*ᵀX*)⁻¹b*, with one Cholesky and no coefficients (the
    /// searches over λ call it some thirty times a fit).
    func logLikelihood(_ lambda: Double) throws -> Double {
        let system = transformed(lambda)
        let (logDeterminant, quadratic) = try Cholesky.logDeterminantAndQuadratic(system.a, system.b)
        let sigma2 = max(0, system.c - quadratic) / Double(max(1, n - p))
        return -0.5 * (Double(n - p) * log(sigma2) + system.logDetH + logDeterminant)
    }

    /// X*ᵀX*, X*ᵀy*, y*ᵀy* and log|H| (Σ_v log(1 + n_v λ)) at one variance ratio.
    private func transformed(_ lambda: Double) -> (a: Matrix, b: [Double], c: Double, logDetH: Double) {
        var a = xtx
        var b = xty
        var c = yty
        var logDetH = 0.0
        for group in bySize {
            let h = 1 + group.size * lambda
            logDetH += group.villages * log(h)
            let w = group.size * group.size * lambda / h
            for i in 0..<(p * p) { a.storage[i] -= w * group.xx.storage[i] }
            for j in 0..<p { b[j] -= w * group.xy[j] }
            c -= w * group.yy
        }
        return (a, b, c, logDetH)
    }

    /// The GLS at one variance ratio from the sums: the factor of X*ᵀX*, β̂(λ),
    /// the residual sum of squares and ℓ_R(λ).
    func solve(_ lambda: Double) throws -> GramSolution {
        let (a, b, c, logDetH) = transformed(lambda)
        let factor = try Cholesky(a)
        let beta = try factor.solve(b)
        let rss = max(0, c - zip(b, beta).reduce(0) { $0 + $1.0 * $1.1 })
        let sigma2 = rss / Double(max(1, n - p))
        return GramSolution(lambda: lambda, factor: factor, beta: beta, rss: rss,
                            logLikelihood: -0.5 * (Double(n - p) * log(sigma2) + logDetH + factor.logDeterminant))
    }
}

/// The GLS fit at one variance ratio, from `GramSums`.
struct GramSolution: Sendable {
    let lambda: Double
    /// Cholesky factor of X*ᵀX*: Cov(β̂ | λ, σ²_ε) = σ²_ε (X*ᵀX*)⁻¹.
    let factor: Cholesky
    let beta: [Double]
    let rss: Double
    let logLikelihood: Double
}


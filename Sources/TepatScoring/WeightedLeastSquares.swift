import Foundation
import LinearAlgebra

/// Weighted least squares: a model holds the data and specification; `fit()`
/// returns results that carry estimates, both kinds of standard error and
/// `predict` (the statsmodels split). Solved by Householder QR through LAPACK on
/// √w-scaled rows; dependent columns are found by pivoted QR and dropped.
public struct WeightedLeastSquares: Sendable {
    public let design: Matrix
    public let response: [Double]
    public let weights: [Double]
    public let termNames: [String]

    public init(design: Matrix, response: [Double], weights: [Double]? = nil, termNames: [String]? = nil) {
        precondition(design.rows == response.count, "design and response differ in length")
        self.design = design
        self.response = response
        // Expansion weights (households represented, often ~100) are rescaled to
        // mean 1: β is unchanged, and σ̂ and the classical errors keep their scale.
        let given = weights ?? Array(repeating: 1, count: response.count)
        let mean = given.reduce(0, +) / Double(max(1, given.count))
        self.weights = mean > 0 ? given.map { $0 / mean } : given
        self.termNames = termNames ?? (0..<design.columns).map { "x\($0)" }
    }

    public func fit() throws -> WLSResults {
        let n = design.rows, p = design.columns
        let rootWeights = weights.map { $0.squareRoot() }
        var xw = design
        xw.storage.withUnsafeMutableBufferPointer { s in
            for j in 0..<p { for i in 0..<n { s[i + j * n] *= rootWeights[i] } }
        }
        let yw = zip(response, rootWeights).map { $0 * $1 }
        let solution = try LeastSquares.solve(xw, yw)
        let k = solution.rank
        guard n > k else { throw ScoringError.surveyTooSmall(rows: n, terms: k) }

        // (XᵀWX)⁻¹ on the kept columns = R⁻¹R⁻ᵀ.
        let rInverse = try upperTriangularInverse(solution.r)
        let bread = try BLAS.product(rInverse, rInverse, transposeB: true)
        let fitted = try BLAS.product(design, solution.coefficients)
        let residuals = zip(response, fitted).map { $0 - $1 }
        let sigma2 = solution.residualSumOfSquares / Double(n - k)

        // HC1: bread · Σ w²e² x xᵀ · bread · n/(n−k); the meat is ZᵀZ with the
        // kept √w-scaled rows multiplied by their √w-scaled residuals.
        var z = xw.selectingColumns(solution.keptColumns)
        z.storage.withUnsafeMutableBufferPointer { s in
            for j in 0..<k { for i in 0..<n { s[i + j * n] *= rootWeights[i] * residuals[i] } }
        }
        let meat = BLAS.gram(z)
        let sandwich = try BLAS.product(try BLAS.product(bread, meat), bread)
        let hc1Scale = Double(n) / Double(n - k)

        var se = [Double](repeating: .nan, count: p)
        var seHC1 = [Double](repeating: .nan, count: p)
        var covariance = Matrix(rows: p, columns: p)
        for (a, ja) in solution.keptColumns.enumerated() {
            se[ja] = (sigma2 * bread[a, a]).squareRoot()
            seHC1[ja] = (hc1Scale * sandwich[a, a]).squareRoot()
            for (b, jb) in solution.keptColumns.enumerated() { covariance[ja, jb] = sigma2 * bread[a, b] }
        }

        let totalWeight = weights.reduce(0, +)
        let meanY = zip(weights, response).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight
        let tss = zip(weights, response).reduce(0) { $0 + $1.0 * ($1.1 - meanY) * ($1.1 - meanY) }
        // Rounding leaves a constant response a tss of ~(ε·ȳ)²·n, not 0: compare
        // the spread with the mean's own rounding.
        let roundingScale = totalWeight * pow(1e3 * Double.ulpOfOne * max(1, abs(meanY)), 2)
        guard tss > roundingScale else {
            throw ScoringError.noVariation("consumption_pc is the same for every household of the survey, so there is nothing to predict; check survey.csv")
        }
        // A model that fits every household exactly leaves no error to model and
        // would claim certainty (σ = 0) about every prediction.
        guard solution.residualSumOfSquares > 1e-12 * tss else {
            throw ScoringError.noVariation("the indicators reproduce every survey household's consumption exactly (residual σ = 0), which real surveys never do; check that survey.csv's consumption_pc was not computed from the indicators")
        }
        let r2 = 1 - solution.residualSumOfSquares / tss
        let hasIntercept = termNames.first == Term.intercept.name
        let adjusted = 1 - (1 - r2) * Double(n - (hasIntercept ? 1 : 0)) / Double(n - k)
        return WLSResults(
            termNames: termNames, coefficients: solution.coefficients, standardErrors: se, standardErrorsHC1: seHC1,
            covariance: covariance, dropped: solution.droppedColumns.map { termNames[$0] },
            keptColumns: solution.keptColumns, n: n, rank: k, r2: r2, adjustedR2: adjusted, sigma: sigma2.squareRoot(),
            conditionNumber: solution.reciprocalCondition > 0 ? 1 / solution.reciprocalCondition : .infinity,
            residuals: residuals, residualSumOfSquares: solution.residualSumOfSquares, totalSumOfSquares: tss)
    }
}

extension WLSResults {
    /// The kept terms with the largest standard errors relative to their
    /// coefficients: where an ill-conditioned fit is least sure.
    public func leastCertainTerms(_ count: Int) -> [String] {
        keptColumns.filter { termNames[$0] != Term.intercept.name && standardErrors[$0].isFinite }
            .sorted { abs(standardErrors[$0] / max(abs(coefficients[$0]), .leastNormalMagnitude)) > abs(standardErrors[$1] / max(abs(coefficients[$1]), .leastNormalMagnitude)) }
            .prefix(count).map { termNames[$0] }
    }
}

/// A fitted WLS model.
public struct WLSResults: Sendable {
    public let termNames: [String]
    /// One per term; 0 for dropped terms.
    public let coefficients: [Double]
    /// Classical standard errors σ̂·√diag((XᵀWX)⁻¹); NaN for dropped terms.
    public let standardErrors: [Double]
    /// Heteroskedasticity-consistent (HC1) standard errors; NaN for dropped terms.
    public let standardErrorsHC1: [Double]
    /// σ̂²(XᵀWX)⁻¹, zero rows and columns for dropped terms.
    public let covariance: Matrix
    /// Terms found linearly dependent on the others and left out.
    public let dropped: [String]
    public let keptColumns: [Int]
    public let n: Int
    public let rank: Int
    public let r2: Double
    public let adjustedR2: Double
    /// Residual standard deviation (weighted).
    public let sigma: Double
    /// 1-norm condition number estimate of the √w-scaled design (kept columns).
    public let conditionNumber: Double
    public let residuals: [Double]
    /// Weighted residual and total sums of squares (weights rescaled to mean 1).
    public let residualSumOfSquares: Double
    public let totalSumOfSquares: Double

    public var p: Int { termNames.count }

    /// x·β for each row of `design` (same columns as the fit).
    public func predict(_ design: Matrix) throws -> [Double] {
        try BLAS.product(design, coefficients)
    }
}

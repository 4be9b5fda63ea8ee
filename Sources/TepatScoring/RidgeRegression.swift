import Foundation
import LinearAlgebra

/// Ridge regression with the penalty λ chosen by k-fold cross-validation. Each
/// fold needs one SVD of its training rows: with Z = U·diag(s)·Vᵀ, every λ of the
/// grid costs only β(λ) = V·diag(s/(s² + λ))·Uᵀy. Columns in `unpenalized` (the
/// intercept) are partialled out first (Frisch–Waugh), so they are not shrunk;
/// penalised columns are scaled to unit root-mean-square, so λ does not depend
/// on their units.
public struct RidgeCrossValidation: Sendable {
    public let design: Matrix
    public let response: [Double]
    public let unpenalized: [Int]
    public let folds: Int
    public let seed: UInt64

    public init(design: Matrix, response: [Double], unpenalized: [Int], folds: Int = 5, seed: UInt64 = 1) {
        self.design = design
        self.response = response
        self.unpenalized = unpenalized
        self.folds = folds
        self.seed = seed
    }

    public struct Results: Sendable {
        public let lambda: Double
        public let coefficients: [Double]
        /// σ²(XᵀX + P)⁻¹XᵀX(XᵀX + P)⁻¹ with σ² from the residuals.
        public let covariance: Matrix
        /// Cross-validated root mean squared error at each λ of the grid.
        public let grid: [(lambda: Double, rmse: Double)]
        public var cvRMSE: Double { grid.first { $0.lambda == lambda }?.rmse ?? .nan }
        /// Cross-validated error without penalty (λ = 0), for comparison.
        public var unpenalizedRMSE: Double { grid.first?.rmse ?? .nan }
    }

    public func fit() throws -> Results {
        let n = design.rows, p = design.columns
        let penalized = (0..<p).filter { !unpenalized.contains($0) }
        var scale = [Double](repeating: 1, count: p)
        for j in penalized {
            let rms = (design.column(j).reduce(0) { $0 + $1 * $1 } / Double(n)).squareRoot()
            scale[j] = rms > 0 ? rms : 1
        }
        // λ in units of n (the penalty per observation), from none to heavy.
        let lambdas = [0.0] + (0..<24).map { n > 0 ? Double(n) * pow(10, -5 + Double($0) * 0.25) : 0 }
        var squaredError = [Double](repeating: 0, count: lambdas.count)
        // Seeded fold assignment: a permutation of rows dealt round-robin.
        var order = Array(0..<n)
        var sampler = NormalSampler(seed: seed, stream: 0xF01D)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, sampler.index(i + 1)) }
        var foldOf = [Int](repeating: 0, count: n)
        for (k, i) in order.enumerated() { foldOf[i] = k % folds }

        for f in 0..<folds {
            let train = (0..<n).filter { foldOf[$0] != f }, test = (0..<n).filter { foldOf[$0] == f }
            let x = rows(train), y = train.map { response[$0] }
            let u = x.selectingColumns(unpenalized)
            // Partial the unpenalised columns out of the penalised ones and of y.
            var z = x.selectingColumns(penalized)
            for (k, j) in penalized.enumerated() { for i in 0..<z.rows { z[i, k] /= scale[j] } }
            let (zResidual, yResidual, project) = try partialOut(u, z, y)
            let svd = try SVD(zResidual)
            let uty = try BLAS.product(svd.u, transpose: true, yResidual)
            let cutoff = (svd.singularValues.first ?? 0) * 1e-10
            for (g, lambda) in lambdas.enumerated() {
                var shrunk = [Double](repeating: 0, count: svd.singularValues.count)
                for k in shrunk.indices where svd.singularValues[k] > cutoff {
                    let s = svd.singularValues[k]
                    shrunk[k] = s / (s * s + lambda) * uty[k]
                }
                let b = try BLAS.product(svd.vt, transpose: true, shrunk)  // penalised coefficients (scaled units)
                let a = try project(b)  // unpenalised coefficients given b
                for i in test {
                    var prediction = 0.0
                    for (k, j) in unpenalized.enumerated() { prediction += design[i, j] * a[k] }
                    for (k, j) in penalized.enumerated() { prediction += design[i, j] / scale[j] * b[k] }
                    let e = response[i] - prediction
                    squaredError[g] += e * e
                }
            }
        }
        let grid = zip(lambdas, squaredError).map { (lambda: $0, rmse: ($1 / Double(max(1, n))).squareRoot()) }
        let best = grid.min { $0.rmse < $1.rmse }!.lambda

        // Final fit on all rows by augmented least squares: [X; √λ·diag(scale)] β = [y; 0].
        var augmented = Matrix(rows: n + penalized.count, columns: p)
        for j in 0..<p { for i in 0..<n { augmented[i, j] = design[i, j] } }
        for (k, j) in penalized.enumerated() { augmented[n + k, j] = best.squareRoot() * scale[j] }
        let solution = try LeastSquares.solve(augmented, response + [Double](repeating: 0, count: penalized.count))
        let fitted = try BLAS.product(design, solution.coefficients)
        let rss = zip(response, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let sigma2 = rss / Double(max(1, n - solution.rank))
        // Sandwich on the kept columns: A = (XᵀX + P)⁻¹ = R⁻¹R⁻ᵀ; Cov = σ² A XᵀX A.
        let rInverse = try upperTriangularInverse(solution.r)
        let a = try BLAS.product(rInverse, rInverse, transposeB: true)
        let xtx = BLAS.gram(design.selectingColumns(solution.keptColumns))
        let core = try BLAS.product(try BLAS.product(a, xtx), a)
        var covariance = Matrix(rows: p, columns: p)
        for (r, jr) in solution.keptColumns.enumerated() {
            for (c, jc) in solution.keptColumns.enumerated() { covariance[jr, jc] = sigma2 * core[r, c] }
        }
        return Results(lambda: best, coefficients: solution.coefficients, covariance: covariance, grid: grid)
    }

    private func rows(_ indices: [Int]) -> Matrix {
        var m = Matrix(rows: indices.count, columns: design.columns)
        for j in 0..<design.columns { for (k, i) in indices.enumerated() { m[k, j] = design[i, j] } }
        return m
    }

    /// Residuals of Z and y on U, and a function giving U's coefficients for
    /// given penalised coefficients b: a = (UᵀU)⁻¹Uᵀ(y − Z b).
    private func partialOut(_ u: Matrix, _ z: Matrix, _ y: [Double]) throws -> (Matrix, [Double], ([Double]) throws -> [Double]) {
        guard u.columns > 0 else { return (z, y, { _ in [] }) }
        var zResidual = z
        for j in 0..<z.columns {
            let column = z.column(j)
            let fit = try LeastSquares.solve(u, column)
            let fitted = try BLAS.product(u, fit.coefficients)
            for i in 0..<z.rows { zResidual[i, j] = column[i] - fitted[i] }
        }
        let yFit = try LeastSquares.solve(u, y)
        let yFitted = try BLAS.product(u, yFit.coefficients)
        let yResidual = zip(y, yFitted).map { $0 - $1 }
        let project: ([Double]) throws -> [Double] = { b in
            let zb = try BLAS.product(z, b)
            return try LeastSquares.solve(u, zip(y, zb).map { $0 - $1 }).coefficients
        }
        return (zResidual, yResidual, project)
    }
}

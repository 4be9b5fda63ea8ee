import Foundation
import LinearAlgebra

/// Where no survey exists: the first principal component of the standardised
/// indicator matrix (eigendecomposition of the correlation matrix through
/// LAPACK), signed so that more assets means richer. A model/results split like
/// the PMT's: `fit` returns loadings that score any household.
public struct AssetIndex: Sendable {
    public let design: Matrix

    public init(design: Matrix) { self.design = design }

    public struct Results: Sendable {
        public let means: [Double]
        public let scales: [Double]
        /// First eigenvector of the correlation matrix (zero for constant columns).
        public let loadings: [Double]
        /// Share of the total variance the component explains.
        public let explainedShare: Double

        public func score(_ x: Matrix) throws -> [Double] {
            var z = x
            for j in 0..<x.columns {
                for i in 0..<x.rows { z[i, j] = scales[j] > 0 ? (x[i, j] - means[j]) / scales[j] : 0 }
            }
            return try BLAS.product(z, loadings)
        }
    }

    /// - Parameter richerColumn: a column known to rise with welfare (e.g. owning
    ///   a refrigerator); the component's sign is set to correlate positively with it.
    public func fit(richerColumn: Int) throws -> Results {
        let n = design.rows, p = design.columns
        var means = [Double](repeating: 0, count: p), scales = [Double](repeating: 0, count: p)
        var z = design
        for j in 0..<p {
            let column = design.column(j)
            let mean = column.reduce(0, +) / Double(n)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, n - 1))
            means[j] = mean
            scales[j] = variance > 1e-12 ? variance.squareRoot() : 0
            for i in 0..<n { z[i, j] = scales[j] > 0 ? (design[i, j] - mean) / scales[j] : 0 }
        }
        var correlation = BLAS.gram(z)
        for k in correlation.storage.indices { correlation.storage[k] /= Double(max(1, n - 1)) }
        let eigen = try SymmetricEigen(correlation)
        var loadings = eigen.vectors.column(p - 1)
        if loadings[richerColumn] < 0 { loadings = loadings.map { -$0 } }
        let total = eigen.values.reduce(0) { $0 + max(0, $1) }
        return Results(means: means, scales: scales, loadings: loadings, explainedShare: total > 0 ? eigen.values[p - 1] / total : 0)
    }
}

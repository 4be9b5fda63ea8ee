import CLAPACK
import Foundation

/// The result of a least-squares solve with rank handling.
public struct LeastSquaresSolution: Sendable, Equatable {
    /// One coefficient per column of the design; dropped columns hold 0.
    public var coefficients: [Double]
    /// Numerical rank of the design.
    public var rank: Int
    /// Columns (0-based) found linearly dependent on the others and left out of the fit.
    public var droppedColumns: [Int]
    /// Columns used in the fit, ascending.
    public var keptColumns: [Int]
    /// Upper-triangular R (kept columns, in ascending order) of the QR factorisation
    /// of the kept design: (XᵀX)⁻¹ = R⁻¹R⁻ᵀ gives standard errors without forming XᵀX.
    public var r: Matrix
    /// Residual sum of squares ‖Xβ − y‖².
    public var residualSumOfSquares: Double
    /// Reciprocal condition number of R in the 1-norm (LAPACK `dtrcon`), kept design.
    public var reciprocalCondition: Double
}

public enum LeastSquares {
    /// Solves min ‖Xβ − y‖₂ by Householder QR (`dgeqrf`), the factorisation of
    /// LAPACK's `dgels`. Columns are taken in order: a column whose |R_jj| is
    /// negligible (below `rankTolerance` × the largest |R_kk|) is a combination of
    /// the columns before it, so it is dropped and the rest refactorised (from
    /// R, a p×p problem, not from the design); this
    /// keeps the intercept and earlier terms, as R's `lm` does (LINPACK dqrdc2).
    /// With more columns than rows, pivoted QR (`dgeqp3`) decides which to keep.
    public static func solve(
        _ x: Matrix, _ y: [Double], rankTolerance: Double = 1e-7
    ) throws -> LeastSquaresSolution {
        guard y.count == x.rows else {
            throw LinearAlgebraError.dimensionMismatch("design has \(x.rows) rows, response has \(y.count)")
        }
        try requireFinite(x.storage, routine: "LeastSquares.solve")
        try requireFinite(y, routine: "LeastSquares.solve")
        let p = x.columns
        if p == 0 {
            return LeastSquaresSolution(
                coefficients: [], rank: 0, droppedColumns: [], keptColumns: [],
                r: Matrix(rows: 0, columns: 0), residualSumOfSquares: y.reduce(0) { $0 + $1 * $1 },
                reciprocalCondition: 1)
        }
        var kept = Array(0..<p)
        if x.rows < p {
            let pivoted = try PivotedQR(x)
            kept = pivoted.permutation.prefix(pivoted.rank(tolerance: rankTolerance)).sorted()
        }
        // R of [X y] (the last column holds Qᵀy and, at its foot, the residual
        // norm), by blocks of rows; a dependent column is then dropped from
        // this small triangle, not from the design: the QR of the triangle
        // without that column is the QR of the design without it (Q keeps
        // column norms, so the test of dependence sees the same numbers).
        let augmented = try triangularFactor(x, y, columns: kept)
        var positions = Array(kept.indices)
        var factor = augmented
        while let dependent = firstDependentColumn(factor, columns: positions.count, tolerance: rankTolerance) {
            positions.remove(at: dependent)
            factor = try QR(augmented.selectingColumns(positions + [kept.count])).r
        }
        kept = positions.map { kept[$0] }
        let k = kept.count
        let r = factor.block(rows: k, columns: k)
        let beta = try upperTriangularSolve(r, (0..<k).map { factor[$0, k] })
        var coefficients = [Double](repeating: 0, count: p)
        for (j, column) in kept.enumerated() { coefficients[column] = beta[j] }
        let keptSet = Set(kept)
        return LeastSquaresSolution(
            coefficients: coefficients, rank: k, droppedColumns: (0..<p).filter { !keptSet.contains($0) },
            keptColumns: kept, r: r, residualSumOfSquares: factor[k, k] * factor[k, k],
            reciprocalCondition: try reciprocalCondition(r))
    }

    /// Rows per block of `triangularFactor`: a block of a survey's design
    /// (about 90 columns) stays within a core's cache.
    static let blockRows = 2_048

    /// The (k+1)×(k+1) R of [X_columns y], by a sequential TSQR: each block of
    /// rows is stacked under the R so far and factorised (`dgeqrf`), which
    /// gives the R of all rows so far. Householder throughout, as stable as one
    /// QR of the whole matrix, and several times faster on a tall survey,
    /// whose single QR is bound by memory in its panel steps.
    static func triangularFactor(_ x: Matrix, _ y: [Double], columns: [Int]) throws -> Matrix {
        let width = columns.count + 1, n = x.rows
        var r = Matrix(rows: width, columns: width)
        var start = 0
        repeat {
            let end = min(n, start + blockRows)
            let height = width + (end - start)
            var stacked = Matrix(rows: height, columns: width)
            stacked.storage.withUnsafeMutableBufferPointer { out in
                x.storage.withUnsafeBufferPointer { source in
                    for j in 0..<width {
                        for i in 0..<width { out[i + j * height] = r[i, j] }
                        let target = j * height + width
                        if j < columns.count {
                            let column = columns[j] * n
                            for i in start..<end { out[target + i - start] = source[column + i] }
                        } else {
                            for i in start..<end { out[target + i - start] = y[i] }
                        }
                    }
                }
            }
            r = try QR(stacked).r
            start = end
        } while start < n
        return r
    }

    /// The first of the first `columns` columns of the upper-triangular `r`
    /// whose |R_kk| is below `tolerance` times the column's norm: in unpivoted
    /// QR, |R_kk| is the distance of column k from the span of those before it,
    /// and the norm makes a column's units irrelevant.
    static func firstDependentColumn(_ r: Matrix, columns: Int, tolerance: Double) -> Int? {
        for k in 0..<columns {
            var norm = 0.0
            for i in 0...k { norm += r[i, k] * r[i, k] }
            if norm == 0 || abs(r[k, k]) <= tolerance * norm.squareRoot() { return k }
        }
        return nil
    }

    /// Solves R β = c for upper-triangular R (`dtrtrs`).
    static func upperTriangularSolve(_ r: Matrix, _ c: [Double]) throws -> [Double] {
        let k = r.rows
        guard k > 0 else { return [] }
        var b = c
        let info = LAPACKE_dtrtrs(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "N")),
            blasInt(k), 1, r.storage, blasInt(k), &b, blasInt(k))
        try checkInfo(info, routine: "dtrtrs") { .singular(routine: "dtrtrs", index: $0 - 1) }
        return b
    }

    /// Reciprocal 1-norm condition number of an upper-triangular R (`dtrcon`).
    static func reciprocalCondition(_ r: Matrix) throws -> Double {
        let k = r.rows
        if k == 0 { return 1 }
        var rcond = 0.0
        let info = LAPACKE_dtrcon(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "1")), Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")),
            blasInt(k), r.storage, blasInt(k), &rcond)
        try checkInfo(info, routine: "dtrcon") { .didNotConverge(routine: "dtrcon", info: $0) }
        return rcond
    }

    /// LAPACK's own driver `dgels` (full-rank QR least squares), exposed as the
    /// reference against which `solve` is tested and benchmarked.
    public static func dgels(_ x: Matrix, _ y: [Double]) throws -> [Double] {
        guard y.count == x.rows, x.rows >= x.columns else {
            throw LinearAlgebraError.dimensionMismatch("dgels needs rows ≥ columns and a matching response")
        }
        var a = x.storage
        var b = y
        let info = LAPACKE_dgels(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), blasInt(x.rows), blasInt(x.columns), 1,
            &a, blasInt(max(1, x.rows)), &b, blasInt(max(1, x.rows)))
        try checkInfo(info, routine: "dgels") { .singular(routine: "dgels", index: $0 - 1) }
        return Array(b.prefix(x.columns))
    }
}

/// Householder QR factorisation (`dgeqrf`) of a tall matrix; only R is kept.
public struct QR: Sendable {
    let factored: Matrix

    public init(_ x: Matrix) throws {
        guard x.rows >= x.columns else {
            throw LinearAlgebraError.dimensionMismatch("QR needs at least as many rows (\(x.rows)) as columns (\(x.columns))")
        }
        var a = x
        var tau = [Double](repeating: 0, count: x.columns)
        let info = LAPACKE_dgeqrf(
            LAPACK_COL_MAJOR, blasInt(x.rows), blasInt(x.columns), &a.storage,
            blasInt(max(1, x.rows)), &tau)
        try checkInfo(info, routine: "dgeqrf") { .didNotConverge(routine: "dgeqrf", info: $0) }
        self.factored = a
    }

    /// The p×p upper-triangular factor.
    public var r: Matrix {
        let p = factored.columns
        var r = Matrix(rows: p, columns: p)
        for j in 0..<p { for i in 0...j { r[i, j] = factored[i, j] } }
        return r
    }
}

/// QR with column pivoting (`dgeqp3`): a rank-revealing factorisation.
public struct PivotedQR: Sendable {
    /// |R_kk| in pivot order, non-increasing.
    public let diagonal: [Double]
    /// `permutation[k]` is the original (0-based) column placed k-th.
    public let permutation: [Int]

    public init(_ x: Matrix) throws {
        var a = x
        var jpvt = [Int32](repeating: 0, count: x.columns)
        var tau = [Double](repeating: 0, count: min(x.rows, x.columns))
        let info = LAPACKE_dgeqp3(
            LAPACK_COL_MAJOR, blasInt(x.rows), blasInt(x.columns), &a.storage,
            blasInt(max(1, x.rows)), &jpvt, &tau)
        try checkInfo(info, routine: "dgeqp3") { .didNotConverge(routine: "dgeqp3", info: $0) }
        diagonal = (0..<min(x.rows, x.columns)).map { abs(a[$0, $0]) }
        permutation = jpvt.map { Int($0) - 1 }
    }

    /// Number of pivots above `tolerance` times the largest.
    public func rank(tolerance: Double) -> Int {
        guard let first = diagonal.first, first > 0 else { return 0 }
        return diagonal.prefix { $0 > first * tolerance }.count
    }
}

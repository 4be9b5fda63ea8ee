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
        // One QR of the n-row design; a dependent column is then dropped from
        // its p×p R, not from the design: the QR of R without that column,
        // times the first Q, is the QR of the design without it (Q keeps
        // column norms, so the test of dependence sees the same numbers).
        let full = try QR(kept.count == p ? x : x.selectingColumns(kept))
        var positions = Array(kept.indices)
        var reduced: QR? = nil
        while let dependent = (reduced ?? full).firstDependentColumn(tolerance: rankTolerance) {
            positions.remove(at: dependent)
            reduced = try QR(full.r.selectingColumns(positions))
        }
        kept = positions.map { kept[$0] }
        let beta: [Double], rss: Double
        if let reduced {
            let projected = try full.transposedQTimes(y)
            let head = Array(projected.prefix(full.factored.columns))
            let tail = projected.dropFirst(full.factored.columns).reduce(0) { $0 + $1 * $1 }
            let (b, headRSS) = try reduced.solve(head)
            (beta, rss) = (b, tail + headRSS)
        } else {
            (beta, rss) = try full.solve(y)
        }
        let factor = reduced ?? full
        var coefficients = [Double](repeating: 0, count: p)
        for (k, column) in kept.enumerated() { coefficients[column] = beta[k] }
        let keptSet = Set(kept)
        return LeastSquaresSolution(
            coefficients: coefficients, rank: kept.count, droppedColumns: (0..<p).filter { !keptSet.contains($0) },
            keptColumns: kept, r: factor.r, residualSumOfSquares: rss,
            reciprocalCondition: try factor.reciprocalCondition())
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

/// Householder QR factorisation (`dgeqrf`) of a tall matrix.
public struct QR: Sendable {
    let factored: Matrix
    let tau: [Double]

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
        self.tau = tau
    }

    /// The p×p upper-triangular factor.
    public var r: Matrix {
        let p = factored.columns
        var r = Matrix(rows: p, columns: p)
        for j in 0..<p { for i in 0...j { r[i, j] = factored[i, j] } }
        return r
    }

    /// The first column k whose |R_kk| is below `tolerance` × the largest: in
    /// unpivoted QR, |R_kk| is the distance of column k from the span of the
    /// columns before it. Columns are scaled to unit norm first, so a column's
    /// units do not decide whether it counts as dependent.
    func firstDependentColumn(tolerance: Double) -> Int? {
        let p = factored.columns
        guard p > 0 else { return nil }
        // |R_kk| / ‖x_k‖: the share of column k not explained by earlier columns.
        for k in 0..<p {
            var norm = 0.0
            for i in 0...k { norm += factored[i, k] * factored[i, k] }
            if norm == 0 || abs(factored[k, k]) <= tolerance * norm.squareRoot() { return k }
        }
        return nil
    }


    /// Qᵀ y (`dormqr`).
    func transposedQTimes(_ y: [Double]) throws -> [Double] {
        let n = factored.rows, p = factored.columns
        var b = y
        let info = LAPACKE_dormqr(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int8(UInt8(ascii: "T")),
            blasInt(n), 1, blasInt(p), factored.storage, blasInt(max(1, n)), tau, &b, blasInt(max(1, n)))
        try checkInfo(info, routine: "dormqr") { .didNotConverge(routine: "dormqr", info: $0) }
        return b
    }

    /// β = R⁻¹ Qᵀ y and the residual sum of squares (the tail of Qᵀy).
    func solve(_ y: [Double]) throws -> (beta: [Double], rss: Double) {
        let n = factored.rows, p = factored.columns
        var b = try transposedQTimes(y)
        var rss = 0.0
        for i in p..<n { rss += b[i] * b[i] }
        let info = LAPACKE_dtrtrs(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "N")),
            blasInt(p), 1, factored.storage, blasInt(max(1, n)), &b, blasInt(max(1, n)))
        try checkInfo(info, routine: "dtrtrs") { .singular(routine: "dtrtrs", index: $0 - 1) }
        return (Array(b.prefix(p)), rss)
    }

    /// Reciprocal 1-norm condition number of R (LAPACK `dtrcon`); cond(X) ≈ 1/this.
    func reciprocalCondition() throws -> Double {
        let p = factored.columns
        if p == 0 { return 1 }
        var rcond = 0.0
        let info = LAPACKE_dtrcon(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "1")), Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")),
            blasInt(p), factored.storage, blasInt(max(1, factored.rows)), &rcond)
        try checkInfo(info, routine: "dtrcon") { .didNotConverge(routine: "dtrcon", info: $0) }
        return rcond
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

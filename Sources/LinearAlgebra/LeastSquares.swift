import CLAPACK

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
    /// Solves min ‖Xβ − y‖₂ by Householder QR (`dgeqrf`), the same factorisation as
    /// LAPACK's `dgels`. If the diagonal of R reveals a (near-)dependent column the
    /// design is refactorised with column pivoting (`dgeqp3`) to decide the rank
    /// reliably, the dependent columns are dropped and the fit is redone on the rest.
    ///
    /// - Parameter rankTolerance: a column is dependent when its pivoted |R_kk| is
    ///   below `rankTolerance · |R_11|`.
    public static func solve(
        _ x: Matrix, _ y: [Double], rankTolerance: Double = 1e-10
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
        var qr = try QR(x)
        if x.rows < p || qr.looksRankDeficient(tolerance: rankTolerance) {
            let pivoted = try PivotedQR(x)
            let rank = pivoted.rank(tolerance: rankTolerance)
            kept = pivoted.permutation.prefix(rank).sorted()
            if kept.count < p {
                qr = try QR(x.selectingColumns(kept))
            }
        }
        let (beta, rss) = try qr.solve(y)
        var coefficients = [Double](repeating: 0, count: p)
        for (k, column) in kept.enumerated() { coefficients[column] = beta[k] }
        let dropped = (0..<p).filter { !Set(kept).contains($0) }
        return LeastSquaresSolution(
            coefficients: coefficients, rank: kept.count, droppedColumns: dropped,
            keptColumns: kept, r: qr.r, residualSumOfSquares: rss,
            reciprocalCondition: try qr.reciprocalCondition())
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

    /// A tiny |R_kk| relative to the largest means column k is (nearly) a
    /// combination of earlier columns. Unpivoted QR can miss subtler cases, so the
    /// caller confirms with `PivotedQR`; this only decides whether that is needed.
    func looksRankDeficient(tolerance: Double) -> Bool {
        let d = factored.diagonal.map(abs)
        guard let largest = d.max(), largest > 0 else { return true }
        return d.contains { $0 <= largest * tolerance * 1e3 }
    }

    /// β = R⁻¹ Qᵀ y and the residual sum of squares (the tail of Qᵀy).
    func solve(_ y: [Double]) throws -> (beta: [Double], rss: Double) {
        let n = factored.rows, p = factored.columns
        var b = y
        var info = LAPACKE_dormqr(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int8(UInt8(ascii: "T")),
            blasInt(n), 1, blasInt(p), factored.storage, blasInt(max(1, n)), tau, &b, blasInt(max(1, n)))
        try checkInfo(info, routine: "dormqr") { .didNotConverge(routine: "dormqr", info: $0) }
        var rss = 0.0
        for i in p..<n { rss += b[i] * b[i] }
        info = LAPACKE_dtrtrs(
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

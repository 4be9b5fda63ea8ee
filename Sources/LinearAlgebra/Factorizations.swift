import Foundation
import CLAPACK

/// Eigendecomposition of a symmetric matrix (`dsyevd`, divide and conquer).
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Orthonormal eigenvectors, column k belonging to `values[k]`.
    public let vectors: Matrix

    /// Only the upper triangle of `a` is read.
    public init(_ a: Matrix) throws {
        guard a.rows == a.columns else {
            throw LinearAlgebraError.dimensionMismatch("eigendecomposition needs a square matrix, got \(a.rows)×\(a.columns)")
        }
        try requireFinite(a.storage, routine: "dsyevd")
        var v = a
        var w = [Double](repeating: 0, count: a.rows)
        if a.rows > 0 {
            let info = LAPACKE_dsyevd(
                LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")),
                blasInt(a.rows), &v.storage, blasInt(a.rows), &w)
            try checkInfo(info, routine: "dsyevd") { .didNotConverge(routine: "dsyevd", info: $0) }
        }
        values = w
        vectors = v
    }
}

/// Cholesky factorisation A = LLᵀ of a symmetric positive-definite matrix (`dpotrf`).
public struct Cholesky: Sendable {
    /// Lower-triangular factor stored in full (the upper part is zero).
    public let lower: Matrix

    public init(_ a: Matrix) throws {
        guard a.rows == a.columns else {
            throw LinearAlgebraError.dimensionMismatch("Cholesky needs a square matrix, got \(a.rows)×\(a.columns)")
        }
        try requireFinite(a.storage, routine: "dpotrf")
        var l = a
        if a.rows > 0 {
            let info = LAPACKE_dpotrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), blasInt(a.rows), &l.storage, blasInt(a.rows))
            try checkInfo(info, routine: "dpotrf") { .notPositiveDefinite(routine: "dpotrf", order: $0) }
        }
        for j in 0..<a.columns { for i in 0..<j { l[i, j] = 0 } }
        lower = l
    }

    /// Solves A X = B.
    public func solve(_ b: Matrix) throws -> Matrix {
        guard b.rows == lower.rows else {
            throw LinearAlgebraError.dimensionMismatch("Cholesky solve: A is \(lower.rows)×\(lower.rows), B has \(b.rows) rows")
        }
        var x = b
        if lower.rows > 0 && b.columns > 0 {
            let info = LAPACKE_dpotrs(
                LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), blasInt(lower.rows), blasInt(b.columns),
                lower.storage, blasInt(lower.rows), &x.storage, blasInt(b.rows))
            try checkInfo(info, routine: "dpotrs") { .didNotConverge(routine: "dpotrs", info: $0) }
        }
        return x
    }

    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(column: b)).storage
    }

    /// Solves Lᵀ w = z (`dtrtrs`): for z standard normal, w ~ N(0, A⁻¹).
    public func solveTransposedFactor(_ z: [Double]) throws -> [Double] {
        guard z.count == lower.rows else {
            throw LinearAlgebraError.dimensionMismatch("Cholesky: L is \(lower.rows)×\(lower.rows), z has \(z.count) entries")
        }
        var w = z
        let n = lower.rows
        if n > 0 {
            let info = LAPACKE_dtrtrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int8(UInt8(ascii: "T")), Int8(UInt8(ascii: "N")),
                                      blasInt(n), 1, lower.storage, blasInt(n), &w, blasInt(n))
            try checkInfo(info, routine: "dtrtrs") { .singular(routine: "dtrtrs", index: $0 - 1) }
        }
        return w
    }

    /// A⁻¹ (`dpotri`), symmetric, both triangles filled.
    public func inverse() throws -> Matrix {
        var inv = lower
        let n = lower.rows
        if n > 0 {
            let info = LAPACKE_dpotri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), blasInt(n), &inv.storage, blasInt(n))
            try checkInfo(info, routine: "dpotri") { .singular(routine: "dpotri", index: $0 - 1) }
        }
        for j in 0..<n { for i in 0..<j { inv[i, j] = inv[j, i] } }
        return inv
    }

    /// log det A = 2 Σ log L_ii, without overflow.
    public var logDeterminant: Double {
        2 * lower.diagonal.reduce(0) { $0 + log($1) }
    }
}

extension Cholesky {
    /// log det A and bᵀA⁻¹b for a symmetric positive-definite A (its lower
    /// triangle read), by one `dpotrf` and one triangular solve, keeping no
    /// factor: what a likelihood evaluated many times over needs.
    public static func logDeterminantAndQuadratic(_ a: Matrix, _ b: [Double]) throws -> (logDeterminant: Double, quadratic: Double) {
        guard a.rows == a.columns, b.count == a.rows else {
            throw LinearAlgebraError.dimensionMismatch("Cholesky: A is \(a.rows)×\(a.columns), b has \(b.count) entries")
        }
        let n = a.rows
        guard n > 0 else { return (0, 0) }
        var l = a.storage
        // The _work form skips LAPACKE's scan for NaN; the result is checked instead.
        let info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), blasInt(n), &l, blasInt(n))
        try checkInfo(info, routine: "dpotrf") { .notPositiveDefinite(routine: "dpotrf", order: $0) }
        var w = b
        cblas_dtrsv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, blasInt(n), l, blasInt(n), &w, 1)
        let logDeterminant = 2 * (0..<n).reduce(0) { $0 + log(l[$1 + $1 * n]) }
        let quadratic = w.reduce(0) { $0 + $1 * $1 }
        guard logDeterminant.isFinite, quadratic.isFinite else { throw LinearAlgebraError.nonFiniteInput(routine: "dpotrf") }
        return (logDeterminant, quadratic)
    }
}

/// Thin singular value decomposition A = U·diag(S)·Vᵀ (`dgesdd`).
public struct SVD: Sendable {
    /// m×k with k = min(m, n).
    public let u: Matrix
    /// Singular values, non-increasing.
    public let singularValues: [Double]
    /// k×n.
    public let vt: Matrix

    public init(_ a: Matrix) throws {
        try requireFinite(a.storage, routine: "dgesdd")
        let m = a.rows, n = a.columns, k = min(m, n)
        var work = a
        var s = [Double](repeating: 0, count: k)
        var u = Matrix(rows: m, columns: k)
        var vt = Matrix(rows: k, columns: n)
        if k > 0 {
            let info = LAPACKE_dgesdd(
                LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), blasInt(m), blasInt(n), &work.storage,
                blasInt(max(1, m)), &s, &u.storage, blasInt(max(1, m)), &vt.storage, blasInt(max(1, k)))
            try checkInfo(info, routine: "dgesdd") { .didNotConverge(routine: "dgesdd", info: $0) }
        }
        self.u = u
        self.singularValues = s
        self.vt = vt
    }

    /// Ratio of the largest to the smallest singular value (∞ when singular).
    public var conditionNumber: Double {
        guard let largest = singularValues.first, let smallest = singularValues.last else { return 1 }
        return smallest > 0 ? largest / smallest : .infinity
    }
}

/// Inverse of an upper-triangular matrix (`dtrtri`).
public func upperTriangularInverse(_ r: Matrix) throws -> Matrix {
    guard r.rows == r.columns else {
        throw LinearAlgebraError.dimensionMismatch("triangular inverse needs a square matrix")
    }
    var inv = r
    if r.rows > 0 {
        let info = LAPACKE_dtrtri(
            LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), blasInt(r.rows),
            &inv.storage, blasInt(r.rows))
        try checkInfo(info, routine: "dtrtri") { .singular(routine: "dtrtri", index: $0 - 1) }
    }
    return inv
}

import CLAPACK
import Foundation

/// Level-2 and level-3 BLAS products. These are the hot kernels of Tepat
/// (prediction of every household, bootstrap replicates), so they always go
/// through OpenBLAS rather than Swift loops.
public enum BLAS {
    /// C ← α·op(A)·op(B) + β·C.
    public static func gemm(
        _ a: Matrix, transposeA: Bool = false,
        _ b: Matrix, transposeB: Bool = false,
        alpha: Double = 1, beta: Double = 0, into c: inout Matrix
    ) throws {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        guard k == kb, c.rows == m, c.columns == n else {
            throw LinearAlgebraError.dimensionMismatch(
                "gemm: op(A) is \(m)×\(k), op(B) is \(kb)×\(n), C is \(c.rows)×\(c.columns)")
        }
        if m == 0 || n == 0 { return }
        if k == 0 {  // BLAS would scale C by β; do it here so the semantics stay uniform.
            for i in c.storage.indices { c.storage[i] *= beta }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasColMajor,
                        transposeA ? CblasTrans : CblasNoTrans,
                        transposeB ? CblasTrans : CblasNoTrans,
                        blasInt(m), blasInt(n), blasInt(k), alpha,
                        pa.baseAddress, blasInt(max(1, a.rows)),
                        pb.baseAddress, blasInt(max(1, b.rows)), beta,
                        pc.baseAddress, blasInt(max(1, c.rows)))
                }
            }
        }
    }

    /// op(A)·op(B) as a new matrix.
    public static func product(
        _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false
    ) throws -> Matrix {
        var c = Matrix(rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
        try gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }

    /// y ← α·op(A)·x + β·y.
    public static func gemv(
        _ a: Matrix, transpose: Bool = false, _ x: [Double],
        alpha: Double = 1, beta: Double = 0, into y: inout [Double]
    ) throws {
        let (m, n) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
        guard x.count == n, y.count == m else {
            throw LinearAlgebraError.dimensionMismatch(
                "gemv: op(A) is \(m)×\(n), x has \(x.count), y has \(y.count)")
        }
        if m == 0 { return }
        if n == 0 {
            for i in y.indices { y[i] *= beta }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasColMajor, transpose ? CblasTrans : CblasNoTrans,
                        blasInt(a.rows), blasInt(a.columns), alpha,
                        pa.baseAddress, blasInt(max(1, a.rows)),
                        px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }

    /// op(A)·x as a new vector.
    public static func product(_ a: Matrix, transpose: Bool = false, _ x: [Double]) throws -> [Double] {
        var y = [Double](repeating: 0, count: transpose ? a.columns : a.rows)
        try gemv(a, transpose: transpose, x, into: &y)
        return y
    }

    /// The Gram matrix AᵀA (full, both triangles filled) through `dsyrk`,
    /// half the work of a general product.
    public static func gram(_ a: Matrix) -> Matrix {
        let n = a.columns
        var c = Matrix(rows: n, columns: n)
        if n == 0 { return c }
        if a.rows > 0 {
            a.storage.withUnsafeBufferPointer { pa in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dsyrk(
                        CblasColMajor, CblasUpper, CblasTrans, blasInt(n), blasInt(a.rows), 1,
                        pa.baseAddress, blasInt(max(1, a.rows)), 0, pc.baseAddress, blasInt(n))
                }
            }
        }
        for j in 0..<n { for i in (j + 1)..<max(j + 1, n) { c[i, j] = c[j, i] } }
        return c
    }

    /// Euclidean norm of a vector.
    public static func norm(_ x: [Double]) -> Double {
        if x.isEmpty { return 0 }
        return x.withUnsafeBufferPointer { cblas_dnrm2(blasInt(x.count), $0.baseAddress, 1) }
    }

    /// Sets the number of threads OpenBLAS uses; determinism tests run at 1 and 2.
    public static func setThreadCount(_ n: Int) {
        openblas_set_num_threads(Int32(n))
    }

    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The OpenBLAS build string (version, kernel, threading), for timings.json.
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "OpenBLAS" }
        return String(cString: c).trimmingCharacters(in: .whitespaces)
    }
}

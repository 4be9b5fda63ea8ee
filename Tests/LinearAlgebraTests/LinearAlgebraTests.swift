import XCTest
@testable import LinearAlgebra

/// Each check compares against a value worked out by hand or in closed form,
/// with the tolerance stated beside it.
final class LinearAlgebraTests: XCTestCase {
    func testGemmMatchesHandProduct() throws {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        let b = Matrix([[7, 8], [9, 10], [11, 12]])
        // [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154]
        XCTAssertEqual(try BLAS.product(a, b), Matrix([[58, 64], [139, 154]]))
        // Aᵀ·A by gemm with transpose and by syrk agree: [17 22 27; 22 29 36; 27 36 45]
        let expected = Matrix([[17, 22, 27], [22, 29, 36], [27, 36, 45]])
        XCTAssertEqual(try BLAS.product(a, transposeA: true, a), expected)
        XCTAssertEqual(BLAS.gram(a), expected)
    }

    func testGemmAccumulatesWithBeta() throws {
        var c = Matrix([[1, 1], [1, 1]])
        try BLAS.gemm(Matrix.identity(2), Matrix([[2, 3], [4, 5]]), alpha: 2, beta: 10, into: &c)
        XCTAssertEqual(c, Matrix([[14, 16], [18, 20]]))
    }

    func testGemvAndDimensionErrors() throws {
        let a = Matrix([[1, 2], [3, 4], [5, 6]])
        XCTAssertEqual(try BLAS.product(a, [1, -1]), [-1, -1, -1])
        XCTAssertEqual(try BLAS.product(a, transpose: true, [1, 1, 1]), [9, 12])
        XCTAssertThrowsError(try BLAS.product(a, [1, 2, 3])) { error in
            guard case LinearAlgebraError.dimensionMismatch = error else { return XCTFail("\(error)") }
        }
    }

    /// Straight-line fit through (0,1), (1,3), (2,5), (3,7) + symmetric noise:
    /// y = [1.1, 2.9, 5.1, 6.9]. Hand-worked normal equations:
    /// XᵀX = [4 6; 6 14], Xᵀy = [16, 33.8], det = 20 → β₁ = (4·33.8 − 6·16)/20 = 1.96,
    /// β₀ = (16 − 6·1.96)/4 = 1.06; residuals (0.04, −0.12, 0.12, −0.04) → RSS = 0.032.
    func testLeastSquaresHandWorked() throws {
        let x = Matrix([[1, 0], [1, 1], [1, 2], [1, 3]])
        let y = [1.1, 2.9, 5.1, 6.9]
        let fit = try LeastSquares.solve(x, y)
        XCTAssertEqual(fit.rank, 2)
        XCTAssertEqual(fit.droppedColumns, [])
        XCTAssertEqual(fit.coefficients[0], 1.06, accuracy: 1e-12)
        XCTAssertEqual(fit.coefficients[1], 1.96, accuracy: 1e-12)
        XCTAssertEqual(fit.residualSumOfSquares, 0.032, accuracy: 1e-12)
        // And LAPACK's own driver gives the same.
        let reference = try LeastSquares.dgels(x, y)
        XCTAssertEqual(reference[0], 1.06, accuracy: 1e-12)
        XCTAssertEqual(reference[1], 1.96, accuracy: 1e-12)
        // RᵀR = XᵀX.
        let rtr = try BLAS.product(fit.r, transposeA: true, fit.r)
        XCTAssertEqual(rtr[0, 0], 4, accuracy: 1e-12)
        XCTAssertEqual(rtr[0, 1], 6, accuracy: 1e-12)
        XCTAssertEqual(rtr[1, 1], 14, accuracy: 1e-12)
    }

    /// Column 2 = column 0 + column 1: rank 2, the later dependent column dropped,
    /// and the fit on the remaining columns is exact for y = 2 + 3·t.
    func testRankDeficientDesignDropsDependentColumn() throws {
        let t = [0.0, 1, 2, 3, 4]
        let x = Matrix(t.map { [1, $0, 1 + $0] })
        let y = t.map { 2 + 3 * $0 }
        let fit = try LeastSquares.solve(x, y)
        XCTAssertEqual(fit.rank, 2)
        XCTAssertEqual(fit.droppedColumns, [2], "the later, dependent column goes; the intercept stays")
        XCTAssertEqual(fit.residualSumOfSquares, 0, accuracy: 1e-20)
        // Whatever column was dropped, the fitted values reproduce y exactly.
        let fitted = try BLAS.product(x, fit.coefficients)
        for (f, v) in zip(fitted, y) { XCTAssertEqual(f, v, accuracy: 1e-10) }
        XCTAssertEqual(fit.coefficients[fit.droppedColumns[0]], 0)
    }

    /// A tall survey-like design (10,000 rows: five blocks of the blocked QR)
    /// with one-hot columns whose sum repeats the intercept: the last level is
    /// dropped, and the fit equals LAPACK's dgels on the kept columns, with the
    /// residual sum of squares of its own residuals and RᵀR = XᵀX.
    func testTallDesignInBlocksEqualsDGELS() throws {
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1.0p-53
        }
        let n = 10_000
        var rows: [[Double]] = [], y: [Double] = []
        for _ in 0..<n {
            let level = Int(uniform() * 3)
            let row = [1, uniform(), uniform() * 10, level == 0 ? 1 : 0, level == 1 ? 1 : 0, level == 2 ? 1 : 0]
            rows.append(row)
            y.append(2 + 0.5 * row[1] - 0.1 * row[2] + 0.3 * row[3] + uniform())
        }
        let x = Matrix(rows)
        let fit = try LeastSquares.solve(x, y)
        XCTAssertEqual(fit.keptColumns, [0, 1, 2, 3, 4])
        XCTAssertEqual(fit.droppedColumns, [5])
        let reference = try LeastSquares.dgels(x.selectingColumns(fit.keptColumns), y)
        for (a, b) in zip(fit.keptColumns.map { fit.coefficients[$0] }, reference) { XCTAssertEqual(a, b, accuracy: 1e-10) }
        let fitted = try BLAS.product(x, fit.coefficients)
        let rss = zip(y, fitted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        XCTAssertEqual(fit.residualSumOfSquares, rss, accuracy: 1e-9 * rss)
        let rtr = BLAS.gram(fit.r)
        let xtx = BLAS.gram(x.selectingColumns(fit.keptColumns))
        for i in 0..<5 { for j in 0..<5 { XCTAssertEqual(rtr[i, j], xtx[i, j], accuracy: 1e-9 * xtx[i, i].magnitude) } }
    }

    /// More columns than rows: pivoted QR decides the rank.
    func testWideDesign() throws {
        let fit = try LeastSquares.solve(Matrix([[1, 2, 3], [1, 5, 7]]), [1, 2])
        XCTAssertEqual(fit.rank, 2)
        XCTAssertEqual(fit.droppedColumns.count, 1)
        XCTAssertEqual(fit.residualSumOfSquares, 0, accuracy: 1e-20)
    }

    func testDuplicatedColumnIsReportedAndConstantColumnKept() throws {
        let x = Matrix([[1, 5, 5], [1, 6, 6], [1, 9, 9], [1, 2, 2]])
        let fit = try LeastSquares.solve(x, [1, 2, 3, 4])
        XCTAssertEqual(fit.rank, 2)
        XCTAssertEqual(fit.keptColumns.first, 0)
        XCTAssertEqual(fit.droppedColumns, [2])
    }

    func testLeastSquaresRejectsNaN() {
        let x = Matrix([[1, .nan], [1, 2]])
        XCTAssertThrowsError(try LeastSquares.solve(x, [1, 2])) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .nonFiniteInput(routine: "LeastSquares.solve"))
        }
    }

    /// The tridiagonal matrix with 2 on the diagonal and −1 beside it has the
    /// closed-form spectrum λ_k = 2 − 2cos(kπ/(n+1)), k = 1…n.
    func testEigenvaluesOfKnownSpectrum() throws {
        let n = 12
        var a = Matrix(rows: n, columns: n)
        for i in 0..<n {
            a[i, i] = 2
            if i + 1 < n { a[i, i + 1] = -1; a[i + 1, i] = -1 }
        }
        let eigen = try SymmetricEigen(a)
        for k in 1...n {
            XCTAssertEqual(eigen.values[k - 1], 2 - 2 * cos(Double(k) * .pi / Double(n + 1)), accuracy: 1e-13)
        }
        // A v = λ v for the largest pair.
        let v = eigen.vectors.column(n - 1)
        let av = try BLAS.product(a, v)
        for i in 0..<n { XCTAssertEqual(av[i], eigen.values[n - 1] * v[i], accuracy: 1e-12) }
    }

    /// [4 2; 2 3] = L Lᵀ with L = [2 0; 1 √2]; det = 8; inverse = [3 −2; −2 4]/8.
    func testCholeskyHandWorked() throws {
        let a = Matrix([[4, 2], [2, 3]])
        let c = try Cholesky(a)
        XCTAssertEqual(c.lower[0, 0], 2, accuracy: 1e-15)
        XCTAssertEqual(c.lower[1, 0], 1, accuracy: 1e-15)
        XCTAssertEqual(c.lower[1, 1], 2.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(c.lower[0, 1], 0)
        XCTAssertEqual(c.logDeterminant, log(8), accuracy: 1e-14)
        let inv = try c.inverse()
        XCTAssertEqual(inv[0, 0], 3.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(inv[0, 1], -2.0 / 8, accuracy: 1e-15)
        XCTAssertEqual(inv[1, 0], -2.0 / 8, accuracy: 1e-15)
        // Solve [4 2; 2 3] x = [2, 1] → x = [0.5, 0].
        let x = try c.solve([2, 1])
        XCTAssertEqual(x[0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(x[1], 0, accuracy: 1e-15)
    }

    /// With the same A and b = [2, 1]: log det A = log 8 and bᵀA⁻¹b = bᵀx with
    /// x = [0.5, 0], that is 1; an indefinite A is named as such.
    func testLogDeterminantAndQuadraticHandWorked() throws {
        let (logDeterminant, quadratic) = try Cholesky.logDeterminantAndQuadratic(Matrix([[4, 2], [2, 3]]), [2, 1])
        XCTAssertEqual(logDeterminant, log(8), accuracy: 1e-14)
        XCTAssertEqual(quadratic, 1, accuracy: 1e-15)
        XCTAssertThrowsError(try Cholesky.logDeterminantAndQuadratic(Matrix([[1, 2], [2, 1]]), [1, 1])) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .notPositiveDefinite(routine: "dpotrf", order: 2))
        }
    }

    func testCholeskyRejectsIndefinite() {
        XCTAssertThrowsError(try Cholesky(Matrix([[1, 2], [2, 1]]))) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .notPositiveDefinite(routine: "dpotrf", order: 2))
        }
    }

    /// [3 0; 4 5] has singular values √45 and √5 (σ² are the eigenvalues of AᵀA =
    /// [25 20; 20 25], i.e. 45 and 5), and U·S·Vᵀ rebuilds A.
    func testSVDHandWorked() throws {
        let a = Matrix([[3, 0], [4, 5]])
        let svd = try SVD(a)
        XCTAssertEqual(svd.singularValues[0], 45.0.squareRoot(), accuracy: 1e-13)
        XCTAssertEqual(svd.singularValues[1], 5.0.squareRoot(), accuracy: 1e-13)
        XCTAssertEqual(svd.conditionNumber, 3, accuracy: 1e-12)
        var us = svd.u
        for j in 0..<2 { for i in 0..<2 { us[i, j] *= svd.singularValues[j] } }
        let rebuilt = try BLAS.product(us, svd.vt)
        for i in 0..<2 { for j in 0..<2 { XCTAssertEqual(rebuilt[i, j], a[i, j], accuracy: 1e-13) } }
    }

    func testTriangularInverseAndSingular() throws {
        let inv = try upperTriangularInverse(Matrix([[2, 1], [0, 4]]))
        // [2 1; 0 4]⁻¹ = [1/2 −1/8; 0 1/4]
        XCTAssertEqual(inv[0, 0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(inv[0, 1], -0.125, accuracy: 1e-15)
        XCTAssertEqual(inv[1, 1], 0.25, accuracy: 1e-15)
        XCTAssertThrowsError(try upperTriangularInverse(Matrix([[1, 1], [0, 0]]))) { error in
            XCTAssertEqual(error as? LinearAlgebraError, .singular(routine: "dtrtri", index: 1))
        }
    }

    func testReciprocalConditionOfOrthogonalDesignIsOne() throws {
        // Orthogonal columns with equal norms: R is a multiple of the identity.
        let x = Matrix([[1, 1], [1, -1], [1, 1], [1, -1]])
        let fit = try LeastSquares.solve(x, [1, 2, 3, 4])
        XCTAssertEqual(fit.reciprocalCondition, 1, accuracy: 1e-12)
    }
}

final class KernelSelectionTests: XCTestCase {
    func testRecommendationFollowsCPUFlags() {
        XCTAssertEqual(KernelSelection.recommendedCoreType(cpuFlags: ["avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl"]), "SkylakeX")
        XCTAssertEqual(KernelSelection.recommendedCoreType(cpuFlags: ["avx2", "fma", "avx512f"]), "Haswell")
        XCTAssertNil(KernelSelection.recommendedCoreType(cpuFlags: ["sse3", "avx"]))
    }

    /// Under the test script (which sets OPENBLAS_CORETYPE from the CPU flags)
    /// OpenBLAS must not be on its generic fallback kernels on an AVX2 machine.
    func testOpenBLASIsNotOnFallbackKernelsWhenTheCPUCanDoBetter() throws {
        guard KernelSelection.recommendedCoreType(cpuFlags: KernelSelection.cpuFlags()) != nil else {
            throw XCTSkip("this CPU has no AVX2: OpenBLAS's own choice stands")
        }
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] != nil else {
            throw XCTSkip("run through ./scripts/test, which selects the kernels")
        }
        XCTAssertFalse(KernelSelection.fallbackCores.contains(KernelSelection.coreName), KernelSelection.coreName)
    }
}

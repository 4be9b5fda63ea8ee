import Benchmark
import BenchmarkSupport
import LinearAlgebra

/// Deterministic pseudo-random matrix (no RNG dependency needed for timing).
func filled(_ rows: Int, _ columns: Int, seed: UInt64) -> Matrix {
    var state = seed
    var m = Matrix(rows: rows, columns: columns)
    for i in m.storage.indices {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        m.storage[i] = Double(state >> 11) * 0x1.0p-53 - 0.5
    }
    return m
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = BenchmarkSupport.configuration(maxIterations: 20, maxDuration: 10)

    let a = filled(1000, 1000, seed: 1), b = filled(1000, 1000, seed: 2)
    Benchmark("GEMM 1000x1000") { benchmark in
        var c = Matrix(rows: 1000, columns: 1000)
        benchmark.startMeasurement()
        try BLAS.gemm(a, b, into: &c)
        blackHole(c)
    }

    // The PMT's shape: a 200,000-row survey-sized design with 60 terms.
    let x = filled(200_000, 60, seed: 3)
    let y = (0..<200_000).map { Double($0 % 97) / 97 }
    Benchmark("Least squares 200000x60 (Tepat, QR with rank check)") { benchmark in
        benchmark.startMeasurement()
        blackHole(try LeastSquares.solve(x, y))
    }
    Benchmark("Least squares 200000x60 (LAPACK dgels)") { benchmark in
        benchmark.startMeasurement()
        blackHole(try LeastSquares.dgels(x, y))
    }
}

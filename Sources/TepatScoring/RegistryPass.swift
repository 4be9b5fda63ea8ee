import Foundation
import LinearAlgebra
import TepatData

/// Predicts every registry household and evaluates the bootstrap replicates, a
/// chunk of households at a time: one GEMM per chunk gives every replicate's
/// refitted linear predictor (X_chunk · B̂*); each household then adds, per
/// replicate, whether it is poor in the drawn population and subtracts its
/// refitted EBP (`ParametricBootstrap`). Only per-village sums of these errors
/// leave a chunk, so memory is bounded by the chunk size and the number of villages.
struct RegistryPass {
    let encoder: FeatureEncoder
    let coefficients: [Double]
    let villageEffect: [Double]
    let villageEffectVariance: [Double]
    let sigma2Eps: Double
    /// Standardised residuals to draw household errors from; empty: normal draws.
    let residualPool: [Double]
    let logPovertyLine: Double
    /// The bootstrap's drawn populations and refitted models (B may be 0).
    let bootstrap: ParametricBootstrap.Replicates
    let seed: UInt64
    let chunkRows: Int
    let threads: Int
    let normal = TabulatedNormalCDF()
    /// One household in this many has its EBP of P2 evaluated per replicate
    /// (1: every household, the exact evaluation the tests compare with).
    var severityStride = RegistryPass.defaultSeverityStride

    /// Residuals a replicate draws from: the survey's own up to `poolLimit`;
    /// beyond it, that many evenly spaced order statistics of them, which keep
    /// the distribution's shape and tails while the pool stays in a core's
    /// cache (at 150,000 survey households the random reads of the full pool
    /// cost more than the rest of the inner loop).
    static let poolLimit = 8_192

    static func pool(_ residuals: [Double]) -> [Double] {
        guard residuals.count > poolLimit else { return residuals }
        let sorted = residuals.sorted()
        return (0..<poolLimit).map { k in sorted[Int((Double(k) + 0.5) * Double(sorted.count) / Double(poolLimit))] }
    }

    struct Output {
        var logMean: [Double]
        var logSD: [Double]
        var fgt: (p0: [Double], p1: [Double], p2: [Double])
        var replicates: ReplicateSums

        static func empty(households n: Int, villages: Int, replicates: Int) -> Output {
            let zeros = [Double](repeating: 0, count: n)
            return Output(logMean: zeros, logSD: zeros, fgt: (zeros, zeros, zeros),
                          replicates: ReplicateSums(villages: villages, replicates: replicates))
        }

        /// Adds a stratum's output: its households go back to their rows, its
        /// replicate sums add to the villages'.
        mutating func scatter(_ part: Output, rows: [Int]) {
            for (k, i) in rows.enumerated() {
                logMean[i] = part.logMean[k]; logSD[i] = part.logSD[k]
                fgt.p0[i] = part.fgt.p0[k]; fgt.p1[i] = part.fgt.p1[k]; fgt.p2[i] = part.fgt.p2[k]
            }
            replicates.add(part.replicates)
        }
    }

    /// What one chunk returns: its households' predictions and its replicate sums
    /// for the villages it touches.
    struct ChunkResult: Sendable {
        var range: Range<Int>
        var logMean: [Double]
        var logSD: [Double]
        var p0: [Double], p1: [Double], p2: [Double]
        var villages: [Int]
        /// touched-villages × B, row = local village index: the sums of
        /// `ReplicateSums` for the chunk's households.
        var poor: [Double]
        var severity: [Double]
    }

    func run(_ households: HouseholdColumns) throws -> Output {
        let n = households.count
        let villageCount = villageEffect.count
        let replicates = bootstrap.beta.columns
        var output = Output(
            logMean: Array(repeating: 0, count: n), logSD: Array(repeating: 0, count: n),
            fgt: (Array(repeating: 0, count: n), Array(repeating: 0, count: n), Array(repeating: 0, count: n)),
            replicates: ReplicateSums(villages: villageCount, replicates: replicates))
        let chunks = stride(from: 0, to: n, by: chunkRows).map { $0..<min(n, $0 + chunkRows) }
        // Waves of `threads` chunks; each wave's results are folded in chunk order,
        // so sums are identical whatever the thread count.
        var next = 0
        while next < chunks.count {
            let wave = Array(chunks[next..<min(chunks.count, next + max(1, threads))])
            let results = try processWave(wave.map { (households, $0) }, firstStream: next)
            for chunk in results {
                for (local, i) in chunk.range.enumerated() {
                    output.logMean[i] = chunk.logMean[local]
                    output.logSD[i] = chunk.logSD[local]
                    output.fgt.p0[i] = chunk.p0[local]
                    output.fgt.p1[i] = chunk.p1[local]
                    output.fgt.p2[i] = chunk.p2[local]
                }
                output.replicates.add(chunk, villages: villageCount)
            }
            next += wave.count
        }
        return output
    }

    /// Processes chunks on parallel workers; chunk k draws from random stream
    /// `firstStream + k`, so a chunk's draws depend only on its position in the
    /// sequence of chunks, not on how chunks are grouped into waves.
    func processWave(_ wave: [(HouseholdColumns, Range<Int>)], firstStream: Int) throws -> [ChunkResult] {
        let slots = WorkerSlots<Result<ChunkResult, Error>>(count: wave.count)
        let pass = UncheckedPass(pass: self, wave: wave)
        DispatchQueue.concurrentPerform(iterations: wave.count) { k in
            slots.store(k, Result { try pass.pass.process(pass.wave[k].0, pass.wave[k].1, stream: UInt64(firstStream + k)) })
        }
        return try wave.indices.map { try slots.value($0).get() }
    }

    func process(_ households: HouseholdColumns, _ range: Range<Int>, stream: UInt64) throws -> ChunkResult {
        let x = encoder.encode(households, rows: range)
        let nc = range.count
        let linear = try BLAS.product(x, coefficients)
        var logMean = [Double](repeating: 0, count: nc), logSD = [Double](repeating: 0, count: nc)
        var p0 = [Double](repeating: 0, count: nc), p1 = p0, p2 = p0
        var localIndex: [Int: Int] = [:]
        var villages: [Int] = []
        var local = [Int](repeating: 0, count: nc)
        for i in 0..<nc {
            let v = Int(households.village[range.lowerBound + i])
            let mu = linear[i] + villageEffect[v]
            let sd = (sigma2Eps + villageEffectVariance[v]).squareRoot()
            logMean[i] = mu
            logSD[i] = sd
            let fgt = ExpectedFGT(mean: mu, sd: sd, logPovertyLine: logPovertyLine)
            p0[i] = fgt.p0; p1[i] = fgt.p1; p2[i] = fgt.p2
            if let l = localIndex[v] { local[i] = l } else {
                localIndex[v] = villages.count
                local[i] = villages.count
                villages.append(v)
            }
        }

        var chunk = ChunkResult(range: range, logMean: logMean, logSD: logSD, p0: p0, p1: p1, p2: p2, villages: villages,
                                poor: [], severity: [])
        if bootstrap.beta.columns > 0 {
            let refitted = try BLAS.product(x, bootstrap.beta)  // nc × B
            var sampler = NormalSampler(seed: seed, stream: stream)
            (chunk.poor, chunk.severity) = replicateErrors(of: chunk, members: Array(households.members[range]), linear: linear,
                                                           refitted: refitted, slot: local, sampler: &sampler)
        }
        return chunk
    }
}

/// The villages' bootstrap sums, V × B (village v of replicate b at v + b·V).
struct ReplicateSums: Sendable {
    /// Per replicate: the drawn population's members below the line less the
    /// refitted EBP's expected ones, and the same of members × gap²; over a
    /// village's persons, the replicate's errors of its P0 and P2.
    var poorError: [Double]
    var severityError: [Double]

    init(villages: Int, replicates: Int) {
        poorError = [Double](repeating: 0, count: villages * replicates)
        severityError = poorError
    }

    /// Adds a chunk's sums to its villages'.
    mutating func add(_ chunk: RegistryPass.ChunkResult, villages villageCount: Int) {
        let touched = chunk.villages.count
        let replicates = villageCount > 0 ? poorError.count / villageCount : 0
        for (local, v) in chunk.villages.enumerated() {
            for b in 0..<replicates {
                poorError[v + b * villageCount] += chunk.poor[local + b * touched]
                severityError[v + b * villageCount] += chunk.severity[local + b * touched]
            }
        }
    }

    /// Adds another stratum's sums.
    mutating func add(_ other: ReplicateSums) {
        for k in poorError.indices {
            poorError[k] += other.poorError[k]
            severityError[k] += other.severityError[k]
        }
    }
}

/// The pass is read-only while chunks run; each chunk writes only its own slot.
private struct UncheckedPass: @unchecked Sendable {
    let pass: RegistryPass
    let wave: [(HouseholdColumns, Range<Int>)]
}

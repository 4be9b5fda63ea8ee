import Foundation
import LinearAlgebra
import TepatData

/// Draws of a fitted model's parameters given the survey (`ModelPosterior`),
/// kept so that what depends on the households' welfare (a plan's outcome,
/// which villages a plan funds) can be evaluated under each replicate as well
/// as under the estimates. Under replicate b, household h's log welfare is
/// N(x_h β*_b + η*_{v,b}, σ*²_{ε,b}): the parameters are the draw's, and the
/// household's own error is normal with the draw's variance (a plan's gains
/// have a closed form under a normal). The villages' intervals come from the
/// parametric bootstrap instead (`ParametricBootstrap`).
public struct ReplicatePredictor: Sendable {
    /// One stratum's encoder and draws; `urban` nil when one model serves all.
    struct Stratum: Sendable {
        let urban: Bool?
        let encoder: FeatureEncoder
        /// p × B and V × B, column-major.
        let beta: Matrix
        let eta: Matrix
        let sigmaEps: [Double]

        func of(urban: Bool) -> Stratum { Stratum(urban: urban, encoder: encoder, beta: beta, eta: eta, sigmaEps: sigmaEps) }
    }

    let strata: [Stratum]

    /// Replicates drawn (B).
    public var count: Int { strata.first?.sigmaEps.count ?? 0 }

    /// `mean[b][k]`: the k-th household listed, under the b-th replicate of
    /// the range asked for. Its standard deviation is its stratum's draw,
    /// `sigma[b][stratum[k]]`, kept once per stratum rather than per
    /// household (a province's re-plans list 800,000 households).
    public struct Predictions: Sendable {
        public var mean: [[Double]]
        public var stratum: [Int]
        public var sigma: [[Double]]

        public init(mean: [[Double]], stratum: [Int], sigma: [[Double]]) {
            self.mean = mean; self.stratum = stratum; self.sigma = sigma
        }

        /// Every listed household's standard deviation under replicate b.
        public func sd(_ b: Int) -> [Double] { stratum.map { sigma[b][$0] } }
    }

    /// Rows encoded and multiplied at a time, one chunk a thread. The chunks
    /// do not depend on `threads`, so neither do the predictions.
    static let chunkRows = 32_768

    /// Log welfare of the registry households `households` under the
    /// replicates `replicates`.
    public func predict(_ registry: HouseholdColumns, households: [Int], replicates: Range<Int>, threads: Int = 1) throws -> Predictions {
        var mean = [[Double]](repeating: [Double](repeating: 0, count: households.count), count: replicates.count)
        var stratumOf = [Int](repeating: 0, count: households.count)
        for (s, stratum) in strata.enumerated() {
            let mine = households.indices.filter { k in stratum.urban.map { registry.isUrban[households[k]] == $0 } ?? true }
            for k in mine { stratumOf[k] = s }
            let beta = Matrix(rows: stratum.beta.rows, columns: replicates.count,
                              columnMajor: Array(stratum.beta.storage[(replicates.lowerBound * stratum.beta.rows)..<(replicates.upperBound * stratum.beta.rows)]))
            let chunks = stride(from: 0, to: mine.count, by: Self.chunkRows).map { Array(mine[$0..<min(mine.count, $0 + Self.chunkRows)]) }
            for start in stride(from: 0, to: chunks.count, by: max(1, threads)) {
                let wave = Array(chunks[start..<min(chunks.count, start + max(1, threads))])
                let slots = WorkerSlots<Result<Matrix, Error>>(count: wave.count)
                DispatchQueue.concurrentPerform(iterations: wave.count) { k in
                    // The chunk's households × the replicates.
                    slots.store(k, Result { try BLAS.product(stratum.encoder.encode(registry.subset(wave[k].map { households[$0] })), beta) })
                }
                for (k, chunk) in wave.enumerated() {
                    let linear = try slots.value(k).get()
                    let villages = chunk.map { Int(registry.village[households[$0]]) }
                    for (b, replicate) in replicates.enumerated() {
                        scatter(linear, column: b, eta: stratum.eta, replicate: replicate, villages: villages, into: &mean[b], at: chunk)
                    }
                }
            }
        }
        let sigma = replicates.map { b in strata.map { $0.sigmaEps[b] } }
        return Predictions(mean: mean, stratum: stratumOf, sigma: sigma)
    }

    /// One replicate's column of a chunk's linear predictions plus its
    /// villages' effects, written to the chunk's places in `mean`.
    private func scatter(_ linear: Matrix, column b: Int, eta: Matrix, replicate: Int, villages: [Int],
                         into mean: inout [Double], at places: [Int]) {
        let offset = b * linear.rows, etaOffset = replicate * eta.rows
        linear.storage.withUnsafeBufferPointer { x in
            eta.storage.withUnsafeBufferPointer { e in
                mean.withUnsafeMutableBufferPointer { out in
                    for (row, i) in places.enumerated() { out[i] = x[offset + row] + e[etaOffset + villages[row]] }
                }
            }
        }
    }
}

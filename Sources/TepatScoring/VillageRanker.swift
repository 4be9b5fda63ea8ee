import Foundation

/// The tail both scorers share, in memory and streamed: composite scores of
/// the village measures, then the ranking with its intervals from the
/// replicates.
enum VillageRanker {
    static func rank(
        _ unscored: VillageMeasures, villages: VillageList, replicates: ReplicateSums, options: ScoringOptions, clock: StageClock
    ) throws -> (measures: VillageMeasures, ranking: VillageRanking, standardisation: Standardisation, benchmark: P0Benchmark?) {
        var measures = unscored
        let benchmark = try options.benchmarkP0.map { try P0Benchmark.apply(to: &measures, official: $0) }
        let standardisation = Standardisation(measures)
        measures.score = (0..<villages.count).map { v in
            standardisation.score(p0: measures.p0[v], p2: measures.p2[v], poor: measures.poorPersons[v],
                                  m0: measures.mpi[v].m0, desil: measures.shareDesil1to4[v], weights: options.weights)
        }
        clock.lap("aggregate")
        let ranking = try rank(measures: measures, modelP0: unscored.p0, villages: villages, replicates: replicates,
                               standardisation: standardisation, options: options)
        clock.lap("bootstrap")
        return (measures, ranking, standardisation, benchmark)
    }

    /// Ranks the villages with registry households under the chosen ordering;
    /// rank and P0 intervals are the 5th and 95th percentiles over the
    /// replicates, each of which moves every village's estimate by its
    /// bootstrap error (`ParametricBootstrap`): P0 = P̂0 + e0, P2 = P̂2 + e2,
    /// kept in [0, 1]. A village without households has no rank (0), no
    /// interval and quality `noData`, and comes last in `order`, by code. With
    /// a benchmark, each replicate's P0s (from the model's `modelP0`, before
    /// scaling) are scaled to the official rate with a factor of their own.
    static func rank(measures: VillageMeasures, modelP0: [Double], villages: VillageList, replicates sums: ReplicateSums,
                     standardisation: Standardisation, options: ScoringOptions) throws -> VillageRanking {
        let count = villages.count
        let ranked = (0..<count).filter { measures.households[$0] > 0 }
        func key(p0: Double, p2: Double, poor: Double, v: Int) -> Double {
            switch options.rankBy {
            case .score:
                return standardisation.score(p0: p0, p2: p2, poor: poor, m0: measures.mpi[v].m0, desil: measures.shareDesil1to4[v], weights: options.weights)
            case .p0: return p0
            case .poor: return poor
            }
        }
        func ranks(_ keys: [Double]) -> [Int] {
            let order = ranked.sorted { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : villages.codes[$0].value < villages.codes[$1].value }
            var r = [Int](repeating: 0, count: count)
            for (position, v) in order.enumerated() { r[v] = position + 1 }
            return r
        }
        let pointKeys = (0..<count).map { key(p0: measures.p0[$0], p2: measures.p2[$0], poor: measures.poorPersons[$0], v: $0) }
        let rank = ranks(pointKeys)
        let order = ranked.sorted { rank[$0] < rank[$1] } + (0..<count).filter { measures.households[$0] == 0 }
        var result = VillageRanking(rank: rank, order: order, rankLow: rank, rankHigh: rank, p0Low: measures.p0, p0High: measures.p0,
                                    p0CV: [Double](repeating: 0, count: count),
                                    quality: (0..<count).map { measures.households[$0] > 0 ? .ok : .noData })
        guard options.bootstrap > 0 else { return result }
        var replicateRanks = [[Double]](repeating: [], count: count)
        var replicateP0 = [[Double]](repeating: [], count: count)
        for b in 0..<options.bootstrap {
            var p0 = (0..<count).map { v in
                measures.persons[v] > 0 ? min(1, max(0, modelP0[v] + sums.poorError[v + b * count] / measures.persons[v])) : 0
            }
            if let official = options.benchmarkP0 {
                p0 = P0Benchmark.scaled(p0, by: try P0Benchmark.factor(p0: p0, persons: measures.persons, official: official))
            }
            var keys = [Double](repeating: 0, count: count)
            for v in 0..<count {
                let persons = measures.persons[v]
                let p2 = persons > 0 ? min(1, max(0, measures.p2[v] + sums.severityError[v + b * count] / persons)) : 0
                keys[v] = key(p0: p0[v], p2: p2, poor: p0[v] * persons, v: v)
                replicateP0[v].append(p0[v])
            }
            for (v, r) in ranks(keys).enumerated() { replicateRanks[v].append(Double(r)) }
        }
        for v in ranked {
            let r = replicateRanks[v].sorted(), p = replicateP0[v].sorted()
            result.rankLow[v] = Int(Quantile.of(sorted: r, 0.05).rounded(.down))
            result.rankHigh[v] = Int(Quantile.of(sorted: r, 0.95).rounded(.up))
            result.p0Low[v] = Quantile.of(sorted: p, 0.05)
            result.p0High[v] = Quantile.of(sorted: p, 0.95)
            result.p0CV[v] = coefficientOfVariation(p)
            if result.p0CV[v] > VillageQuality.cautionCV { result.quality[v] = .caution }
        }
        return result
    }

    /// Standard deviation over mean of the replicate P0s; 0 when they are all 0.
    static func coefficientOfVariation(_ x: [Double]) -> Double {
        let mean = x.reduce(0, +) / Double(max(1, x.count))
        guard mean > 0 else { return 0 }
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, x.count - 1))
        return variance.squareRoot() / mean
    }
}

/// Z-scores of the composite's measures, with means and spreads fixed at the
/// point estimates so replicate scores are comparable with the point score.
struct Standardisation {
    let mean: [Double]
    let sd: [Double]

    /// Means and spreads over the villages with registry households: a
    /// village without data must not move the others' scores.
    init(_ m: VillageMeasures) {
        let kept = m.households.indices.filter { m.households[$0] > 0 }
        let columns = [m.p0, m.p2, m.poorPersons, m.mpi.map(\.m0), m.shareDesil1to4].map { c in kept.map { c[$0] } }
        mean = columns.map { $0.reduce(0, +) / Double(max(1, $0.count)) }
        sd = zip(columns, mean).map { column, mu in
            let variance = column.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(max(1, column.count - 1))
            return variance > 0 ? variance.squareRoot() : 1
        }
    }

    func score(p0: Double, p2: Double, poor: Double, m0: Double, desil: Double, weights w: CompositeWeights) -> Double {
        w.p0 * (p0 - mean[0]) / sd[0] + w.p2 * (p2 - mean[1]) / sd[1] + w.poorPersons * (poor - mean[2]) / sd[2]
            + w.mpiM0 * (m0 - mean[3]) / sd[3] + w.shareDesil1to4 * (desil - mean[4]) / sd[4]
    }
}


/// Member-weighted sums of the households' expected FGT, for the overall figures.
struct WeightedFGT {
    var persons = 0.0, p0 = 0.0, p1 = 0.0, p2 = 0.0

    mutating func add(members: Double, p0 x0: Double, p1 x1: Double, p2 x2: Double) {
        persons += members
        p0 += members * x0
        p1 += members * x1
        p2 += members * x2
    }

    var mean: ExpectedFGT { ExpectedFGT(p0: p0 / persons, p1: p1 / persons, p2: p2 / persons) }
}

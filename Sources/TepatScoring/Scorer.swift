import Foundation
import LinearAlgebra
import TepatData

/// Scores households and ranks villages (MODEL.md §1–6): a plain function of the
/// loaded data and the options, no I/O.
public enum Scorer {
    public static func score(_ data: DataSet, options: ScoringOptions, clock: StageClock = StageClock()) throws -> ScoringResult {
        let villages = VillageList(villages: data.villages, households: data.households)
        guard villages.count > 0 else { throw ScoringError.noVillages }
        let registry = HouseholdColumns(data.households, villageIndex: villages.index)
        let method: ScoringMethod = options.method == .automatic ? (data.survey == nil ? .assetIndex : .pmt) : options.method

        var pass: RegistryPass.Output
        var strata: [StratumModel] = []
        var explained: Double? = nil
        let mpiScores: (score: [Double], flags: [[Bool]])

        if method == .pmt {
            guard let surveyTable = data.survey else {
                throw ScoringError.noVariation("scoring method pmt needs survey.csv")
            }
            let survey = HouseholdColumns(surveyTable, villageIndex: villages.index)
            let response = surveyTable.numbers("consumption_pc").map { log($0) }
            let weights = surveyTable.numbers("weight")
            if options.strata == .urbanRural {
                var models: [StratumModel] = []
                var merged = RegistryPass.Output.empty(households: registry.count, villages: villages.count, replicates: max(0, options.bootstrap))
                for (name, urban) in [("urban", true), ("rural", false)] {
                    let surveyRows = (0..<survey.count).filter { survey.isUrban[$0] == urban }
                    let registryRows = (0..<registry.count).filter { registry.isUrban[$0] == urban }
                    guard !registryRows.isEmpty else { continue }
                    guard !surveyRows.isEmpty else { throw ScoringError.emptyStratum(name) }
                    let fitted: (pass: RegistryPass.Output, pmt: WLSResults, smallArea: SmallAreaSummary, pooled: [PooledLevel])
                    do {
                        fitted = try pmtPass(
                            survey: survey.subset(surveyRows), response: surveyRows.map { response[$0] }, weights: surveyRows.map { weights[$0] },
                            registry: registry.subset(registryRows), villages: villages, options: options, stream: urban ? 1 : 2, clock: clock)
                    } catch let ScoringError.surveyTooSmall(rows, terms, _) {
                        // Name the stratum: "10 usable households" alone reads as the whole survey.
                        throw ScoringError.surveyTooSmall(rows: rows, terms: terms, stratum: name)
                    }
                    models.append(StratumModel(name: name, pmt: fitted.pmt, smallArea: fitted.smallArea, pooled: fitted.pooled))
                    merged.scatter(fitted.pass, rows: registryRows)
                }
                pass = merged
                strata = models
            } else {
                let fitted = try pmtPass(survey: survey, response: response, weights: weights, registry: registry, villages: villages, options: options, stream: 0, clock: clock)
                pass = fitted.pass
                strata = [StratumModel(name: "all", pmt: fitted.pmt, smallArea: fitted.smallArea, pooled: fitted.pooled)]
            }
            clock.lap("predict+bootstrap")
            mpiScores = options.mpi.scores(registry)
        } else {
            let encoder = try FeatureEncoder(survey: registry, registry: registry, villageCodes: villages.codes.map(\.value), minimumLevelCount: 1)
            clock.lap("encode")
            let columns = Array(1..<encoder.terms.count)  // all but the intercept
            let design = encoder.encode(registry).selectingColumns(columns)
            let richer = columns.firstIndex { encoder.terms[$0] == .value("has_refrigerator") } ?? 0
            let fit = try AssetIndex(design: design).fit(richerColumn: richer)
            explained = fit.explainedShare
            let index = try fit.score(design)
            clock.lap("pmt")
            pass = assetIndexPass(index: index, registry: registry, villageCount: villages.count, options: options)
            clock.lap("predict+bootstrap")
            mpiScores = options.mpi.scores(registry)
        }

        // Deciles on predicted welfare, ties by household_id.
        let ids = registry.ids
        let desil = Deciles.assign(welfare: pass.logMean, members: registry.members) { a, b in
            ids.withBytes(at: a) { x in ids.withBytes(at: b) { y in x.lexicographicallyPrecedes(y) } }
        }
        let householdScores = HouseholdScores(
            logMean: pass.logMean, logSD: pass.logSD,
            welfare: method == .pmt ? pass.logMean.map { exp($0) } : pass.logMean,
            desil: desil, p0: pass.fgt.p0, p1: pass.fgt.p1, p2: pass.fgt.p2)

        let deprivationFlags = Deprivation.allCases.map { Deprivation.flags($0, registry) }
        var measures = aggregate(registry: registry, scores: householdScores, villages: villages, deprivationFlags: deprivationFlags,
                                 mpi: options.mpi, mpiScores: mpiScores)
        let standardisation = Standardisation(measures)
        measures.score = (0..<villages.count).map { v in
            standardisation.score(p0: measures.p0[v], p2: measures.p2[v], poor: measures.poorPersons[v],
                                  m0: measures.mpi[v].m0, desil: measures.shareDesil1to4[v], weights: options.weights)
        }
        clock.lap("aggregate")

        let ranking = rank(measures: measures, villages: villages, pass: pass, standardisation: standardisation, options: options)
        clock.lap("bootstrap")

        var accuracy: Accuracy? = nil
        if let truth = data.truth {
            accuracy = try Accuracy.measure(
                truth: truth, registry: registry, scores: householdScores, measures: measures, ranking: ranking,
                villages: villages, standardisation: standardisation, options: options)
        }
        let persons = measures.persons.reduce(0, +)
        let overall = ExpectedFGT(
            p0: zip(registry.members, householdScores.p0).reduce(0) { $0 + $1.0 * $1.1 } / persons,
            p1: zip(registry.members, householdScores.p1).reduce(0) { $0 + $1.0 * $1.1 } / persons,
            p2: zip(registry.members, householdScores.p2).reduce(0) { $0 + $1.0 * $1.1 } / persons)
        return ScoringResult(
            options: options, method: method, villages: villages, households: householdScores, measures: measures,
            ranking: ranking, models: strata, assetIndexExplainedShare: explained,
            registry: registry, deprivationFlags: deprivationFlags,
            accuracy: accuracy, timings: clock.laps, overall: overall, overallPoorPersons: measures.poorPersons.reduce(0, +),
            householdCount: registry.count)
    }

    /// Fits the PMT and the small-area model on `survey` and predicts `registry`
    /// with bootstrap replicates: the whole model for one stratum (or for all).
    static func pmtPass(
        survey: HouseholdColumns, response: [Double], weights: [Double], registry: HouseholdColumns,
        villages: VillageList, options: ScoringOptions, stream: UInt64, clock: StageClock
    ) throws -> (pass: RegistryPass.Output, pmt: WLSResults, smallArea: SmallAreaSummary, pooled: [PooledLevel]) {
        let first = try StratumFirstStage(
            survey: survey, response: response, weights: weights, registryCounts: FeatureEncoder.levelCounts(registry),
            villages: villages, options: options)
        clock.lap("encode")
        var context = ContextSums(villages: villages.count)
        for start in stride(from: 0, to: registry.count, by: options.chunkRows) {
            try context.add(first, registry, rows: start..<min(registry.count, start + options.chunkRows))
        }
        let second = try first.secondStage(context: context, villages: villages, options: options, stream: stream)
        clock.lap("pmt")
        let pass = try second.pass.run(registry)
        return (pass, second.pmt, second.smallArea, second.pooled)
    }

    /// Without consumption the asset index only orders households: the poorest
    /// `assumedHeadcount` of persons count as poor, P1 and P2 are not defined (0),
    /// and intervals come from resampling households within each village.
    static func assetIndexPass(index: [Double], registry: HouseholdColumns, villageCount: Int, options: ScoringOptions) -> RegistryPass.Output {
        let n = registry.count
        let order = index.indices.sorted { index[$0] != index[$1] ? index[$0] < index[$1] : $0 < $1 }
        let total = registry.members.reduce(0, +)
        var poor = [Double](repeating: 0, count: n)
        var before = 0.0
        for h in order {
            if before < options.assumedHeadcount * total { poor[h] = 1 }
            before += registry.members[h]
        }
        let replicates = max(0, options.bootstrap)
        var replicatePoor = [Double](repeating: 0, count: villageCount * replicates)
        var members: [[Int]] = Array(repeating: [], count: villageCount)
        for h in 0..<n { members[Int(registry.village[h])].append(h) }
        var sampler = NormalSampler(seed: options.seed, stream: 0xA55E7)
        for v in 0..<villageCount where !members[v].isEmpty {
            let list = members[v]
            for b in 0..<replicates {
                var sum = 0.0
                for _ in list.indices {
                    // Uniform pick from the normal stream's bits: fold |N| into [0, 1).
                    let u = Normal.cdf(sampler.normal())
                    let h = list[min(list.count - 1, Int(u * Double(list.count)))]
                    sum += poor[h] * registry.members[h]
                }
                replicatePoor[v + b * villageCount] = sum
            }
        }
        let zeros = [Double](repeating: 0, count: n)
        return RegistryPass.Output(
            logMean: index, logSD: zeros, fgt: (poor, zeros, zeros),
            replicatePoor: replicatePoor, replicateSeverity: [Double](repeating: 0, count: villageCount * replicates))
    }

    static func aggregate(
        registry h: HouseholdColumns, scores: HouseholdScores, villages: VillageList, deprivationFlags: [[Bool]],
        mpi: MultidimensionalPoverty, mpiScores: (score: [Double], flags: [[Bool]])
    ) -> VillageMeasures {
        var sums = VillageSums(villages: villages.count, mpiIndicators: mpi.indicators.count)
        sums.add(h, rows: 0..<h.count, p0: scores.p0, p1: scores.p1, p2: scores.p2,
                 deprivationFlags: deprivationFlags, mpi: mpi, mpiScores: mpiScores)
        for i in 0..<h.count { sums.addDesil(scores.desil[i], village: Int(h.village[i])) }
        return sums.measures(mpi: mpi)
    }

    static func rank(measures: VillageMeasures, villages: VillageList, pass: RegistryPass.Output, standardisation: Standardisation, options: ScoringOptions) -> VillageRanking {
        let count = villages.count
        func key(p0: Double, p2: Double, poor: Double, v: Int) -> Double {
            switch options.rankBy {
            case .score:
                return standardisation.score(p0: p0, p2: p2, poor: poor, m0: measures.mpi[v].m0, desil: measures.shareDesil1to4[v], weights: options.weights)
            case .p0: return p0
            case .poor: return poor
            }
        }
        func ranks(_ keys: [Double]) -> [Int] {
            let order = (0..<count).sorted { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : villages.codes[$0].value < villages.codes[$1].value }
            var r = [Int](repeating: 0, count: count)
            for (position, v) in order.enumerated() { r[v] = position + 1 }
            return r
        }
        let pointKeys = (0..<count).map { key(p0: measures.p0[$0], p2: measures.p2[$0], poor: measures.poorPersons[$0], v: $0) }
        let rank = ranks(pointKeys)
        let order = (0..<count).sorted { rank[$0] < rank[$1] }
        let replicates = options.bootstrap
        guard replicates > 0 else {
            return VillageRanking(rank: rank, order: order, rankLow: rank, rankHigh: rank, p0Low: measures.p0, p0High: measures.p0)
        }
        var replicateRanks = [[Double]](repeating: [], count: count)
        var replicateP0 = [[Double]](repeating: [], count: count)
        for b in 0..<replicates {
            var keys = [Double](repeating: 0, count: count)
            for v in 0..<count {
                let persons = measures.persons[v]
                let poor = pass.replicatePoor[v + b * count]
                let p0 = persons > 0 ? poor / persons : 0
                let p2 = persons > 0 ? pass.replicateSeverity[v + b * count] / persons : 0
                keys[v] = key(p0: p0, p2: p2, poor: poor, v: v)
                replicateP0[v].append(p0)
            }
            for (v, r) in ranks(keys).enumerated() { replicateRanks[v].append(Double(r)) }
        }
        var low = [Int](repeating: 0, count: count), high = low
        var p0Low = [Double](repeating: 0, count: count), p0High = p0Low
        for v in 0..<count {
            let r = replicateRanks[v].sorted(), p = replicateP0[v].sorted()
            low[v] = Int(Quantile.of(sorted: r, 0.05).rounded(.down))
            high[v] = Int(Quantile.of(sorted: r, 0.95).rounded(.up))
            p0Low[v] = Quantile.of(sorted: p, 0.05)
            p0High[v] = Quantile.of(sorted: p, 0.95)
        }
        return VillageRanking(rank: rank, order: order, rankLow: low, rankHigh: high, p0Low: p0Low, p0High: p0High)
    }
}

/// Z-scores of the composite's measures, with means and spreads fixed at the
/// point estimates so replicate scores are comparable with the point score.
struct Standardisation {
    let mean: [Double]
    let sd: [Double]

    init(_ m: VillageMeasures) {
        let columns = [m.p0, m.p2, m.poorPersons, m.mpi.map(\.m0), m.shareDesil1to4]
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

/// Wall-clock seconds per stage.
public final class StageClock: @unchecked Sendable {
    private var last = Date()
    public private(set) var laps: [(String, Double)] = []
    public init() {}
    public func lap(_ name: String) {
        let now = Date()
        laps.append((name, now.timeIntervalSince(last)))
        last = now
    }
}

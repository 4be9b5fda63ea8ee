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
            accuracy: accuracy, timings: clock.laps, overall: overall, overallPoorPersons: measures.poorPersons.reduce(0, +))
    }

    /// Fits the PMT and the small-area model on `survey` and predicts `registry`
    /// with bootstrap replicates: the whole model for one stratum (or for all).
    static func pmtPass(
        survey: HouseholdColumns, response: [Double], weights: [Double], registry: HouseholdColumns,
        villages: VillageList, options: ScoringOptions, stream: UInt64, clock: StageClock
    ) throws -> (pass: RegistryPass.Output, pmt: WLSResults, smallArea: SmallAreaSummary, pooled: [PooledLevel]) {
        let lnz = log(options.povertyLine)
        let base = try FeatureEncoder(
            survey: survey, registry: registry, villageCodes: villages.codes.map(\.value),
            minimumLevelCount: options.minimumLevelCount, kecamatanEffects: options.kecamatanEffects,
            strictCategories: options.strictCategories)
        guard survey.count > base.terms.count + 1 else {
            throw ScoringError.surveyTooSmall(rows: survey.count, terms: base.terms.count + 1)
        }
        clock.lap("encode")

        // Stage 1: the household PMT without context, to build the contextual
        // covariate (village mean of the index over the whole registry).
        let stage1 = try WeightedLeastSquares(design: base.encode(survey), response: response, weights: weights, termNames: base.termNames).fit()
        var indexSum = [Double](repeating: 0, count: villages.count), indexCount = indexSum
        for start in stride(from: 0, to: registry.count, by: options.chunkRows) {
            let range = start..<min(registry.count, start + options.chunkRows)
            let index = try stage1.predict(base.encode(registry, rows: range))
            for (k, i) in range.enumerated() {
                indexSum[Int(registry.village[i])] += index[k]
                indexCount[Int(registry.village[i])] += 1
            }
        }
        let overallMean = indexSum.reduce(0, +) / max(1, indexCount.reduce(0, +))
        let context = zip(indexSum, indexCount).map { $1 > 0 ? $0 / $1 : overallMean }
        var kecamatanSum: [Int64: (sum: Double, count: Double)] = [:]
        for (v, code) in villages.codes.enumerated() {
            kecamatanSum[code.kecamatan.value, default: (0, 0)].sum += indexSum[v]
            kecamatanSum[code.kecamatan.value, default: (0, 0)].count += indexCount[v]
        }
        let kecamatanContext = villages.codes.map { code -> Double in
            let k = kecamatanSum[code.kecamatan.value]!
            return k.count > 0 ? k.sum / k.count : overallMean
        }
        let encoder = base.withContext(villageMean: context, kecamatanMean: kecamatanContext)
        let surveyDesign = encoder.encode(survey)
        let pmt = try WeightedLeastSquares(design: surveyDesign, response: response, weights: weights, termNames: encoder.termNames).fit()
        let nested = try NestedErrorModel(
            design: surveyDesign, response: response, village: survey.village, villageCount: villages.count,
            ridge: options.ridge, seed: options.seed).fit()
        let smallArea = SmallAreaSummary(sigma2Eta: nested.sigma2Eta, sigma2Eps: nested.sigma2Eps, surveyVillages: nested.surveyVillages,
                                     replicates: options.bootstrap, ridge: nested.ridge)
        clock.lap("pmt")

        // Replicate draws: β* ~ N(β̂, Cov β̂) by a Cholesky factor of the kept
        // block; the variance ratio log λ* ~ N(log λ̂, se²) from the REML
        // curvature; then η*_v ~ N(η̂_v(λ*), Var(η_v | survey, λ*)).
        let p = encoder.terms.count, replicates = max(0, options.bootstrap)
        var betaDraws = Matrix(rows: p, columns: replicates)
        var etaDraws = Matrix(rows: villages.count, columns: replicates)
        var sampler = NormalSampler(seed: options.seed, stream: 0xB00757 &+ stream)
        let kept = (0..<p).filter { nested.covariance[$0, $0] > 0 }
        var block = Matrix(rows: kept.count, columns: kept.count)
        for (a, ja) in kept.enumerated() { for (b, jb) in kept.enumerated() { block[a, b] = nested.covariance[ja, jb] } }
        let factor = try Cholesky(block).lower
        for b in 0..<replicates {
            let z = (0..<kept.count).map { _ in sampler.normal() }
            let shift = try BLAS.product(factor, z)
            for j in 0..<p { betaDraws[j, b] = nested.coefficients[j] }
            for (a, ja) in kept.enumerated() { betaDraws[ja, b] += shift[a] }
            let sigma2Eta = nested.sigma2Eta * exp(nested.logLambdaSE * sampler.normal())
            for v in 0..<villages.count {
                let effect = nested.villageEffect(v, sigma2Eta: sigma2Eta)
                etaDraws[v, b] = effect.mean + effect.variance.squareRoot() * sampler.normal()
            }
        }
        let pass = try RegistryPass(
            encoder: encoder, households: registry, coefficients: nested.coefficients,
            villageEffect: nested.villageEffects, villageEffectVariance: nested.villageEffectVariances,
            sigma2Eps: nested.sigma2Eps, residualPool: nested.standardisedResiduals, logPovertyLine: lnz, betaDraws: betaDraws, etaDraws: etaDraws,
            seed: options.seed &+ stream &* 0x1000, chunkRows: options.chunkRows, threads: options.threads).run()
        return (pass, pmt, smallArea, base.pooled)
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
        let v = villages.count
        var households = [Int](repeating: 0, count: v)
        var persons = [Double](repeating: 0, count: v)
        var p0 = persons, p1 = persons, p2 = persons, poorHouseholds = persons, desilLow = persons
        var rows: [[Int]] = Array(repeating: [], count: v)
        var need = [[Double]](repeating: [Double](repeating: 0, count: Schemas.pillars.count), count: v)
        var deprived = [[Double]](repeating: [Double](repeating: 0, count: Deprivation.allCases.count), count: v)
        let pillarOf = Deprivation.allCases.map { Schemas.pillars.firstIndex(of: $0.pillar)! }
        for i in 0..<h.count {
            let k = Int(h.village[i])
            let m = h.members[i]
            households[k] += 1
            persons[k] += m
            p0[k] += m * scores.p0[i]
            p1[k] += m * scores.p1[i]
            p2[k] += m * scores.p2[i]
            poorHouseholds[k] += scores.p0[i]
            if scores.desil[i] <= 4 { desilLow[k] += 1 }
            rows[k].append(i)
            var pillars = [Bool](repeating: false, count: Schemas.pillars.count)
            for (d, flags) in deprivationFlags.enumerated() where flags[i] {
                deprived[k][d] += scores.p0[i]
                pillars[pillarOf[d]] = true
            }
            for (p, hit) in pillars.enumerated() where hit { need[k][p] += scores.p0[i] }
        }
        var measures = VillageMeasures(
            households: households, persons: persons, p0: [], p1: [], p2: [], poorPersons: p0,
            poorHouseholds: poorHouseholds, shareDesil1to4: [], mpi: [], need: need, deprivationShare: [], score: [])
        measures.p0 = (0..<v).map { persons[$0] > 0 ? p0[$0] / persons[$0] : 0 }
        measures.p1 = (0..<v).map { persons[$0] > 0 ? p1[$0] / persons[$0] : 0 }
        measures.p2 = (0..<v).map { persons[$0] > 0 ? p2[$0] / persons[$0] : 0 }
        measures.shareDesil1to4 = (0..<v).map { households[$0] > 0 ? desilLow[$0] / Double(households[$0]) : 0 }
        measures.mpi = rows.map { mpi.measure(score: mpiScores.score, flags: mpiScores.flags, members: h.members, rows: $0) }
        measures.deprivationShare = (0..<v).map { k in deprived[k].map { poorHouseholds[k] > 0 ? $0 / poorHouseholds[k] : 0 } }
        return measures
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

import Foundation
import LinearAlgebra
import TepatData

/// Scores households and ranks villages: a plain function of the loaded data
/// and the options, no I/O.
public enum Scorer {
    public static func score(_ data: DataSet, options: ScoringOptions, clock: StageClock = StageClock()) throws -> ScoringResult {
        let villages = VillageList(villages: data.villages, households: data.households)
        guard villages.count > 0 else { throw ScoringError.noVillages }
        let registry = HouseholdColumns(data.households, villageIndex: villages.index)
        let method: ScoringMethod = options.method == .automatic ? (data.survey == nil ? .assetIndex : .pmt) : options.method
        let welfare: Welfare
        if method == .pmt {
            guard let survey = data.survey else { throw ScoringError.noVariation("scoring method pmt needs survey.csv") }
            welfare = try pmtWelfare(survey: SurveyDesign(survey, villageIndex: villages.index), registry: registry,
                                     villages: villages, options: options, clock: clock)
        } else {
            welfare = try assetIndexWelfare(registry: registry, villages: villages, options: options, clock: clock)
        }
        clock.lap("predict+bootstrap")
        let mpiScores = options.mpi.scores(registry)
        let householdScores = scores(welfare.pass, registry: registry, moneyMetric: method == .pmt)
        let deprivationFlags = Deprivation.allCases.map { Deprivation.flags($0, registry) }
        let measures = aggregate(registry: registry, scores: householdScores, villages: villages, deprivationFlags: deprivationFlags,
                                 mpi: options.mpi, mpiScores: mpiScores)
        let ranked = try VillageRanker.rank(measures, villages: villages, replicates: welfare.pass.replicates, options: options, clock: clock)
        var accuracy: Accuracy? = nil
        if let truth = data.truth {
            accuracy = try Accuracy.measure(
                truth: truth, registry: registry, scores: householdScores, measures: ranked.measures, ranking: ranked.ranking,
                villages: villages, standardisation: ranked.standardisation, options: options)
        }
        var overall = WeightedFGT()
        for h in 0..<registry.count {
            overall.add(members: registry.members[h], p0: householdScores.p0[h], p1: householdScores.p1[h], p2: householdScores.p2[h])
        }
        return ScoringResult(
            options: options, method: method, villages: villages, households: householdScores, measures: ranked.measures,
            ranking: ranked.ranking, models: welfare.models, assetIndexExplainedShare: welfare.explainedShare,
            registry: registry, deprivationFlags: deprivationFlags,
            accuracy: accuracy, timings: clock.laps, overall: overall.mean.benchmarked(ranked.benchmark), overallPoorPersons: ranked.measures.poorPersons.reduce(0, +),
            householdCount: registry.count, benchmark: ranked.benchmark,
            replicates: options.bootstrap > 0 ? welfare.replicates : nil)
    }

    /// Every registry household's predictive distribution and replicates, with
    /// the models behind them.
    struct Welfare {
        var pass: RegistryPass.Output
        var models: [StratumModel] = []
        var explainedShare: Double? = nil
        /// The model's replicate draws (none with the asset index).
        var replicates: ReplicatePredictor? = nil
    }

    /// Deciles on predicted welfare (ties by household_id) and the expected FGT
    /// per household.
    static func scores(_ pass: RegistryPass.Output, registry: HouseholdColumns, moneyMetric: Bool) -> HouseholdScores {
        let ids = registry.ids
        let desil = Deciles.assign(welfare: pass.logMean, members: registry.members) { a, b in
            ids.withBytes(at: a) { x in ids.withBytes(at: b) { y in x.lexicographicallyPrecedes(y) } }
        }
        return HouseholdScores(
            logMean: pass.logMean, logSD: pass.logSD,
            welfare: moneyMetric ? pass.logMean.map { exp($0) } : pass.logMean,
            desil: desil, p0: pass.fgt.p0, p1: pass.fgt.p1, p2: pass.fgt.p2)
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
}

import Foundation
import TepatData

extension Scorer {
    /// The PMT with the small-area model, for all households or per stratum.
    static func pmtWelfare(
        survey: SurveyDesign, registry: HouseholdColumns, villages: VillageList, options: ScoringOptions, clock: StageClock
    ) throws -> Welfare {
        guard options.strata == .urbanRural else {
            let fitted = try pmtPass(survey: survey, registry: registry, villages: villages, options: options, stream: 0, clock: clock)
            return Welfare(pass: fitted.pass, models: [StratumModel(name: "all", pmt: fitted.pmt, smallArea: fitted.smallArea, pooled: fitted.pooled, balance: fitted.balance, contributions: fitted.contributions)],
                           replicates: ReplicatePredictor(strata: [fitted.replicates]))
        }
        var welfare = Welfare(pass: .empty(households: registry.count, villages: villages.count, replicates: max(0, options.bootstrap)))
        var strata: [ReplicatePredictor.Stratum] = []
        for (name, urban) in [("urban", true), ("rural", false)] {
            let stratum = survey.stratum(urban: urban)
            let registryRows = (0..<registry.count).filter { registry.isUrban[$0] == urban }
            guard !registryRows.isEmpty else { continue }
            guard stratum.count > 0 else { throw ScoringError.emptyStratum(name) }
            let fitted: PMTFit
            do {
                fitted = try pmtPass(survey: stratum, registry: registry.subset(registryRows), villages: villages, options: options,
                                     stream: urban ? 1 : 2, clock: clock)
            } catch let ScoringError.surveyTooSmall(rows, terms, _) {
                // Name the stratum: "10 usable households" alone reads as the whole survey.
                throw ScoringError.surveyTooSmall(rows: rows, terms: terms, stratum: name)
            }
            welfare.models.append(StratumModel(name: name, pmt: fitted.pmt, smallArea: fitted.smallArea, pooled: fitted.pooled, balance: fitted.balance, contributions: fitted.contributions))
            welfare.pass.scatter(fitted.pass, rows: registryRows)
            strata.append(fitted.replicates.of(urban: urban))
        }
        welfare.replicates = ReplicatePredictor(strata: strata)
        return welfare
    }

    /// Fits the PMT and the small-area model on `survey` and predicts `registry`
    /// with bootstrap replicates: the whole model for one stratum (or for all).
    static func pmtPass(
        survey: SurveyDesign, registry: HouseholdColumns,
        villages: VillageList, options: ScoringOptions, stream: UInt64, clock: StageClock
    ) throws -> PMTFit {
        let first = try StratumFirstStage(
            survey: survey, registryCounts: FeatureEncoder.levelCounts(registry), villages: villages, options: options)
        clock.lap("encode")
        var context = ContextSums(villages: villages.count)
        for start in stride(from: 0, to: registry.count, by: options.chunkRows) {
            try context.add(first, registry, rows: start..<min(registry.count, start + options.chunkRows))
        }
        clock.lap("context")
        let second = try first.secondStage(context: context, villages: villages, options: options, stream: stream)
        clock.lap("pmt")
        let pass = try second.pass.run(registry)
        return PMTFit(pass: pass, pmt: second.pmt, smallArea: second.smallArea, pooled: second.pooled, balance: second.balance,
                      contributions: second.contributions, replicates: second.replicates)
    }

    /// One stratum's model and its predictions of the registry.
    struct PMTFit {
        let pass: RegistryPass.Output
        let pmt: WLSResults
        let smallArea: SmallAreaSummary
        let pooled: [PooledLevel]
        let balance: [CovariateBalance]
        let contributions: WelfareContributions
        let replicates: ReplicatePredictor.Stratum
    }
}

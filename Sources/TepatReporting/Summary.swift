import Crypto
import Foundation
import TepatAllocation
import TepatData
import TepatScoring

/// summary.json and timings.json (Docs/outputs.md).
public enum RunSummary {
    public static let version = "0.1.0"

    /// SHA-256 of a file, read in 1 MiB blocks.
    public static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataErrors(DataProblem(file: path, message: "cannot read to checksum"))
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty { hasher.update(data: block) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// n, p, rank, R², σ, dropped terms, pooled levels and the small-area
    /// model of one fitted model.
    static func modelBlock(_ model: StratumModel) -> [(String, JSON)] {
        let pmt = model.pmt
        let pooled: [JSON] = model.pooled.map { level in
            .object([("column", .string(level.column)), ("level", .string(level.level)),
                     ("survey_households", .integer(level.surveyHouseholds)), ("registry_households", .integer(level.registryHouseholds))])
        }
        let s = model.smallArea
        var smallArea: [(String, JSON)] = [
            ("model", .string("nested error (Battese-Harter-Fuller), REML, EBP village effects, village-mean PMT index as contextual covariate")),
            ("sigma2_eta", .number(s.sigma2Eta)), ("sigma2_eps", .number(s.sigma2Eps)),
            ("survey_villages", .integer(s.surveyVillages)), ("replicates", .integer(s.replicates)),
            ("interval", .string("90% (5th and 95th percentiles of the replicates)")),
            ("interval_method", .string("parametric bootstrap of the EBP: populations drawn from the fitted model, the model refitted on each")),
        ]
        if let ridge = s.ridge {
            smallArea.append(("ridge", .object([("lambda", .number(ridge.lambda)), ("cv_rmse", .number(ridge.cvRMSE)),
                                                ("cv_rmse_unpenalized", .number(ridge.unpenalizedCVRMSE))])))
        }
        return [
            ("n", .integer(pmt.n)), ("p", .integer(pmt.p)), ("rank", .integer(pmt.rank)),
            ("r2", .number(pmt.r2)), ("adj_r2", .number(pmt.adjustedR2)), ("sigma", .number(pmt.sigma)),
            ("dropped", .array(pmt.dropped.map { .string($0) })),
            ("condition_number", .number(pmt.conditionNumber, decimals: 1)),
            ("pooled_levels", .array(pooled)),
            ("small_area", .object(smallArea)),
        ]
    }

    public static func inputs(_ files: [LoadedFile], checksums: [String: String]) -> JSON {
        .object(files.map { f in
            (f.name, .object([("path", .string(f.path)), ("rows", .integer(f.rows)), ("rejected", .integer(f.rejected)),
                              ("sha256", .string(checksums[f.name] ?? ""))]))
        })
    }

    /// Frame checks: registry persons against villages.csv's population, and
    /// the model's covariates in the survey against the registry (the ten
    /// largest gaps per model).
    static func frame(_ r: ScoringResult) -> JSON? {
        var pairs: [(String, JSON)] = []
        if let c = RegistryCoverage(persons: r.measures.persons, population: r.villages.population) {
            pairs.append(("coverage", .object([
                ("registry_persons", .integer(Int(c.registryPersons.rounded()))), ("population", .integer(Int(c.population.rounded()))),
                ("share", .number(c.share)), ("villages_with_population", .integer(c.villagesWithPopulation)),
                ("villages_under_half", .integer(c.villagesUnderHalf)), ("villages_over_population", .integer(c.villagesOverPopulation)),
            ])))
        }
        for model in r.models where !model.balance.isEmpty {
            let gaps = model.balance.prefix(10).map { b -> JSON in
                .object([("term", .string(b.term)), ("survey_mean", .number(b.surveyMean)), ("registry_mean", .number(b.registryMean)),
                         ("standardised_difference", .number(b.standardisedDifference, decimals: 4))])
            }
            pairs.append((r.models.count == 1 ? "covariates" : "covariates_" + model.name, .array(gaps)))
        }
        return pairs.isEmpty ? nil : .object(pairs)
    }

    public static func scoring(_ r: ScoringResult) -> [(String, JSON)] {
        var pairs: [(String, JSON)] = [("method", .string(r.method.rawValue)), ("poverty_line", .integer(Int(r.options.povertyLine))),
                                       ("rank_by", .string(r.options.rankBy.rawValue))]
        if r.models.count == 1 {
            pairs.append(("pmt", .object(modelBlock(r.models[0]))))
        } else if !r.models.isEmpty {
            // Stratified: one model with every term interacted with the stratum.
            // n, p and rank add up; R² and σ pool the strata's sums of squares.
            let n = r.models.reduce(0) { $0 + $1.pmt.n }, rank = r.models.reduce(0) { $0 + $1.pmt.rank }
            let p = r.models.reduce(0) { $0 + $1.pmt.p }
            let rss = r.models.reduce(0) { $0 + $1.pmt.residualSumOfSquares }, tss = r.models.reduce(0) { $0 + $1.pmt.totalSumOfSquares }
            let r2 = 1 - rss / tss
            let combined: [(String, JSON)] = [
                ("n", .integer(n)), ("p", .integer(p)), ("rank", .integer(rank)), ("r2", .number(r2)),
                ("adj_r2", .number(1 - (1 - r2) * Double(n - r.models.count) / Double(max(1, n - rank)))),
                ("sigma", .number((rss / Double(max(1, n - rank))).squareRoot())),
                ("dropped", .array(r.models.flatMap { m in m.pmt.dropped.map { .string("\(m.name): \($0)") } })),
                ("strata", .object(r.models.map { ($0.name, .object(modelBlock($0))) })),
            ]
            pairs.append(("pmt", .object(combined)))
        } else if let share = r.assetIndexExplainedShare {
            pairs.append(("asset_index", .object([("explained_variance_share", .number(share)),
                                                  ("assumed_headcount", .number(r.options.assumedHeadcount))])))
        }
        pairs.append(("overall", .object([
            ("p0", .number(r.overall.p0)), ("p1", .number(r.overall.p1)), ("p2", .number(r.overall.p2)),
            ("poor_persons", .number(r.overallPoorPersons, decimals: 1)),
            ("households", .integer(r.householdCount)), ("villages", .integer(r.villages.count)),
            ("villages_without_households", .integer(r.ranking.quality.filter { $0 == .noData }.count)),
            ("villages_caution", .integer(r.ranking.quality.filter { $0 == .caution }.count))])))
        if let b = r.benchmark {
            pairs.append(("benchmark", .object([("official_p0", .number(b.officialP0, decimals: 9)), ("model_p0", .number(b.modelP0)),
                                                ("factor", .number(b.factor))])))
        }
        if let frame = frame(r) { pairs.append(("frame", frame)) }
        if let a = r.accuracy {
            pairs.append(("accuracy", .object([
                ("inclusion_error", .number(a.inclusionError)), ("exclusion_error", .number(a.exclusionError)),
                ("coverage", .number(a.coverage)), ("leakage", .number(a.leakage)),
                ("targeting_differential", .number(a.targetingDifferential)), ("cgh", .number(a.cgh)),
                ("spearman_p0", .number(a.spearmanP0)), ("rank_interval_coverage", .number(a.rankIntervalCoverage)),
                ("p0_interval_coverage", .number(a.p0IntervalCoverage)),
                ("median_rank_interval_width", .number(a.medianRankIntervalWidth, decimals: 1)),
                ("median_p0_interval_width", .number(a.medianP0IntervalWidth)),
                ("true_p0", .number(a.trueP0))])))
        }
        return pairs
    }

    /// The allocation block: objective (the plan's fall in the measure over all
    /// persons), the bound no plan can beat and the gap, money, the baselines'
    /// objectives on the same outcome and how much more the plan achieves than
    /// each, before/after poverty, and the solve.
    public static func allocation(
        problem: FundAllocationProblem, plan: FundAllocation, outcomes: VillageOutcomes,
        baselines: [(BaselineRule, Double)], objective: AllocationObjective
    ) -> JSON {
        let budget = problem.funders.reduce(Int64(0)) { $0 + $1.budget }
        let spent = plan.spentByFunder.reduce(0, +)
        return .object([
            ("objective", .number(plan.objective, decimals: 9)),
            ("bound", .number(plan.bound, decimals: 9)),
            ("gap", .number(plan.gap, decimals: 9)),
            ("objective_measure", .string(objective.rawValue)),
            ("objective_units", .string(objective.units + "; the exported MPS minimises its negative")),
            ("spent_rp", .integer(Int(spent))), ("budget_rp", .integer(Int(budget))),
            ("baselines", .object(baselines.map { ($0.0.rawValue, .number($0.1, decimals: 9)) })),
            ("improvement_over_baselines", .object(baselines.map { ($0.0.rawValue, .number($0.1 > 0 ? plan.objective / $0.1 - 1 : 0)) })),
            ("p0_before", .number(outcomes.overallBefore.p0)), ("p0_after", .number(outcomes.overallAfter.p0)),
            ("p2_before", .number(outcomes.overallBefore.p2)), ("p2_after", .number(outcomes.overallAfter.p2)),
            ("households_reached", .integer(plan.householdsReached)),
            ("programs_delivered", .integer(plan.beneficiaries.count)),
        ] + robustness(outcomes.robustness) + [
            ("solver", .object([
                ("method", .string("LP relaxation over household bundles by column generation (COIN-OR Clp), then "
                    + (plan.solve.branchAndBound ? "branch and cut from its rounding (COIN-OR Cbc)" : "rounding of its optimum to whole households"))),
                ("pricing_rounds", .integer(plan.solve.rounds)), ("rows", .integer(plan.solve.rows)), ("columns", .integer(plan.solve.columns)),
                ("lp_iterations", .integer(plan.solve.lpIterations)), ("nodes", .integer(plan.solve.nodes)),
                ("proven_optimal", .bool(plan.solve.provenOptimal)),
            ])),
        ])
    }

    /// The plan's outcome over the model's replicates, and how many replicates
    /// were re-planned for villages_after.csv's p_funded.
    static func robustness(_ r: PlanRobustness?) -> [(String, JSON)] {
        guard let r else { return [] }
        return [
            ("outcome_interval", .array([.number(r.outcomeLow, decimals: 9), .number(r.outcomeHigh, decimals: 9)])),
            ("outcome_mean", .number(r.outcomeMean, decimals: 9)),
            ("outcome_replicates", .integer(r.replicates)),
            ("p_funded_replicates", .integer(r.replanned)),
            ("p_funded_agreement", .number(r.agreement, decimals: 4)),
        ]
    }

    /// What timings.json says of the machine besides the stages.
    public struct Machine: Sendable {
        public var cores: Int
        public var blas: String
        public var blasCore: String
        public var blasThreads: Int

        public init(cores: Int, blas: String, blasCore: String, blasThreads: Int) {
            self.cores = cores
            self.blas = blas
            self.blasCore = blasCore
            self.blasThreads = blasThreads
        }
    }

    public static func timings(_ laps: [(String, Double)], total: Double, machine: Machine) -> JSON {
        .object([
            ("stages", .object(laps.map { ($0.0, .number($0.1, decimals: 4)) })),
            ("total", .number(total, decimals: 4)),
            ("cores", .integer(machine.cores)),
            ("blas", .string(machine.blas)),
            ("blas_core", .string(machine.blasCore)),
            ("blas_threads", .integer(machine.blasThreads)),
        ])
    }
}

import Foundation
import TepatData
import TepatScoring

/// How the plan fares when the welfare model's parameters are any of the
/// scoring's replicate draws instead of their estimates (Docs/model.md,
/// "Robustness to estimation error"):
/// - the plan's outcome under each replicate, its households' combined
///   uplifts valued with the replicate's predictive distributions;
/// - per village, `pFunded`: the share of replicates whose plan, made anew
///   for that replicate, gives the village money (`Replans`). Solving every
///   replicate to the bound would take B times the solve, so each re-plan
///   pays the floors first and then follows the greedy rule, on candidates
///   (`Candidates`) rather than every household. Its outcome is some 4%
///   below the optimum's, but the villages it funds are nearly the same
///   (`agreement`, at the estimates), and which villages are funded is what
///   `pFunded` tells.
public struct PlanRobustness: Sendable {
    /// Mean of the plan's outcome over the replicates, and its 5th and 95th percentiles.
    public var outcomeMean: Double
    public var outcomeLow: Double
    public var outcomeHigh: Double
    /// Replicates the outcome was evaluated under.
    public var replicates: Int
    /// Per village, the share of re-planned replicates that fund it.
    public var pFunded: [Double]
    /// Replicates re-planned for `pFunded` (the first of them).
    public var replanned: Int
    /// Share of villages the re-plan at the estimates funds, or not, as the
    /// plan does: how far the greedy re-plans stand in for the optimum.
    public var agreement: Double

    public struct Settings: Sendable {
        /// Replicates re-planned for `pFunded`: a share is known to ±0.08
        /// at worst (one standard error at 40), enough to tell a sure village
        /// from a coin toss.
        public var replans = 40
        /// Candidates per village and program: this many times the households
        /// the reference plan reaches there with the program, or the 90th
        /// percentile of that over the villages it reaches, whichever is more.
        public var candidateFactor = 4
        /// At least this many per village and program, so that a village the
        /// reference plan leaves out can still come in.
        public var minimumCandidates = 2
        public var threads = 1
        public init() {}
    }

    /// Log welfare under replicates of the households listed (registry indices).
    public typealias Predict = @Sendable (_ households: [Int], _ replicates: Range<Int>) throws -> ReplicatePredictor.Predictions

    /// Everything in turn, the re-plans' candidates sized by the plan's own reach.
    public init(problem p: FundAllocationProblem, plan: FundAllocation, replicates: Int,
                settings: Settings = Settings(), predict: @escaping Predict) throws {
        let beneficiaries = plan.beneficiaries
        let replans = Replans(problem: p, replicates: replicates, settings: settings, reference: { beneficiaries }, predict: predict)
        if settings.threads > 1 { replans.start() }
        try self.init(problem: p, plan: plan, replicates: replicates, replans: replans.finish(), threads: settings.threads, predict: predict)
    }

    /// The plan's outcome under the replicates, beside re-plans already made.
    public init(problem p: FundAllocationProblem, plan: FundAllocation, replicates: Int, replans: Replans.Outcome,
                threads: Int, predict: Predict) throws {
        let outcomes = try Self.outcomes(p, plan: plan, replicates: replicates, threads: threads, predict: predict).sorted()
        outcomeMean = replicates > 0 ? outcomes.reduce(0, +) / Double(replicates) : plan.objective
        outcomeLow = replicates > 0 ? Quantile.of(sorted: outcomes, 0.05) : plan.objective
        outcomeHigh = replicates > 0 ? Quantile.of(sorted: outcomes, 0.95) : plan.objective
        self.replicates = replicates

        var planned = [Bool](repeating: false, count: p.villageCodes.count)
        for row in plan.rows { planned[row.village] = true }
        let replanned = replans.funded.count
        pFunded = p.villageCodes.indices.map { v in
            replanned > 0 ? Double(replans.funded.filter { $0[v] }.count) / Double(replanned) : (planned[v] ? 1 : 0)
        }
        self.replanned = replanned
        agreement = Double(zip(replans.atEstimates, planned).filter { $0 == $1 }.count) / Double(max(1, planned.count))
    }

    /// The plan's outcome under each replicate: its households with their
    /// combined uplifts, valued under the replicate's distributions. Blocks of
    /// replicates, so that memory does not grow with B (a province's plan
    /// reaches some 44,000 households).
    static func outcomes(_ p: FundAllocationProblem, plan: FundAllocation, replicates: Int, threads: Int, predict: Predict) throws -> [Double] {
        let uplift = plan.uplifts(p)
        let reached = uplift.keys.sorted()
        return try stride(from: 0, to: replicates, by: outcomeBlock).flatMap { start -> [Double] in
            let block = start..<min(replicates, start + outcomeBlock)
            let draws = try predict(reached, block)
            return inParallel(block.count, threads: threads) { b in
                let under = p.households.under(draws, replicate: b, of: reached)
                return reached.indices.reduce(0.0) { $0 + under.gain($1, uplift: uplift[reached[$1]]!) }
            }
        }
    }

    static let outcomeBlock = 50

    /// The households a replicate's plan may reach, and which of them each
    /// village's programs may reach: of each village and program, the best by
    /// the estimates' gain, as many as `Settings.candidateFactor` says of a
    /// reference plan's reach there. Each replicate orders them anew by its
    /// own gains: on the generated kabupaten, keeping the estimates' order
    /// moved p_funded by up to 0.43, while these candidates instead of every
    /// household moved it by 0.025 at most (Docs/model.md).
    struct Candidates {
        var households: [Int]
        /// Each village's and program's candidates, numbered as in `households`.
        var eligible: [[[Int]]]

        init(_ p: FundAllocationProblem, reach: [FundAllocation.Beneficiary], settings: PlanRobustness.Settings) {
            var reached = [[Int]](repeating: [Int](repeating: 0, count: p.programs.count), count: p.villageCodes.count)
            for b in reach { reached[p.households.village[b.household]][b.program] += 1 }
            let typical = p.programs.indices.map { j in Self.typical(reached.map { $0[j] }.filter { $0 > 0 }) }
            let lists = p.segments.enumerated().map { v, village in
                village.enumerated().map { j, list in
                    list.prefix(max(settings.minimumCandidates, settings.candidateFactor * max(reached[v][j], typical[j])))
                }
            }
            var index = [Int](repeating: -1, count: p.households.count)
            for list in lists.joined() { for s in list { index[s.household] = 0 } }
            households = index.indices.filter { index[$0] == 0 }
            for (k, h) in households.enumerated() { index[h] = k }
            eligible = lists.map { village in village.map { list in list.map { index[$0.household] } } }
        }

        /// The 90th percentile of the households a program reaches in the
        /// villages it reaches (0 where it reaches none).
        static func typical(_ counts: [Int]) -> Int {
            let sorted = counts.sorted()
            return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(0.9 * Double(sorted.count)))]
        }
    }

    /// Which villages the re-plan of `outcomes` (the candidates' outcomes)
    /// funds: the floors first, then the greedy rule spends every budget.
    static func funded(_ p: FundAllocationProblem, outcomes: HouseholdOutcomes, candidates: Candidates) -> [Bool] {
        p.replacingHouseholds(outcomes, eligible: candidates.eligible).replan().villageFunds.map { $0 > 0 }
    }

    /// `work(0..<count)` on up to `threads` threads, results in order.
    static func inParallel<T: Sendable>(_ count: Int, threads: Int, _ work: @escaping @Sendable (Int) -> T) -> [T] {
        let results = WorkerSlots<T>(count: count)
        for start in stride(from: 0, to: count, by: max(1, threads)) {
            let wave = start..<min(count, start + max(1, threads))
            DispatchQueue.concurrentPerform(iterations: wave.count) { k in results.store(wave.lowerBound + k, work(wave.lowerBound + k)) }
        }
        return (0..<count).map(results.value)
    }
}

extension HouseholdOutcomes {
    /// Households `list` (indices into these outcomes) as they are under
    /// replicate b of `draws`, numbered 0..<list.count in that order.
    func under(_ draws: ReplicatePredictor.Predictions, replicate b: Int, of list: [Int]) -> HouseholdOutcomes {
        let lnz = log(povertyLine)
        let mean = draws.mean[b], sd = draws.sd(b)
        return HouseholdOutcomes(
            village: list.map { village[$0] }, members: list.map { members[$0] }, logMean: mean, logSD: sd,
            before: list.indices.map { ExpectedFGT(mean: mean[$0], sd: sd[$0], logPovertyLine: lnz) },
            povertyLine: povertyLine, objective: objective)
    }

    /// Households `list` as they are, numbered 0..<list.count in that order.
    func restricted(to list: [Int]) -> HouseholdOutcomes {
        HouseholdOutcomes(
            village: list.map { village[$0] }, members: list.map { members[$0] }, logMean: list.map { logMean[$0] },
            logSD: list.map { logSD[$0] }, before: list.map { before[$0] }, povertyLine: povertyLine, objective: objective)
    }
}

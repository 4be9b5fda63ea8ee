import XCTest
@testable import TepatAllocation
@testable import TepatScoring

/// The plan under the model's replicates: its outcome, and which villages a
/// plan made anew under each replicate funds.
extension FundAllocationTests {
    /// Replicate draws given as a table: `mean[b][h]`, `sd[b][h]` for household h.
    func predictions(mean: [[Double]], sd: [[Double]]) -> PlanRobustness.Predict {
        { households, replicates in
            // Each household its own stratum, so that any table of sd fits.
            ReplicatePredictor.Predictions(mean: replicates.map { b in households.map { mean[b][$0] } },
                                           stratum: Array(households.indices),
                                           sigma: replicates.map { b in households.map { sd[b][$0] } })
        }
    }

    /// One household in each of two villages, money for one JKN. At the
    /// estimates a's household is the poorer, so the plan funds village A;
    /// in the fourth of four replicates b's is. So A is funded in 3 of 4
    /// re-plans and B in 1, and the plan's outcome under each replicate is
    /// a's gain under that replicate's distribution (Simpson's rule).
    func testPFundedCountsTheReplicatesWhoseRePlanFundsAVillage() throws {
        let programs = [FundAllocationProblem.Program(id: "JKN", pillar: "health", unitCost: 3, deprivation: .health, uplift: 10)]
        let funders = [FundAllocationProblem.Funder(id: "F", name: "F", kind: "apbd", budget: 3, pillars: ["health"])]
        let h = outcomes(village: [0, 1], members: [2, 2], mean: [log(50), log(60)], sd: [0.2, 0.2])
        var flags = Deprivation.allCases.map { _ in [false, false] }
        flags[Deprivation.allCases.firstIndex(of: .health)!] = [true, true]
        let p = FundAllocationProblem(funders: funders, programs: programs, villageCodes: [3514012001, 3514012002],
                                      villageNames: ["A", "B"], households: h, deprivationFlags: flags)
        let plan = try p.solve()
        XCTAssertEqual(plan.beneficiaries, [.init(household: 0, program: 0, funder: 0)])
        let incomes: [[Double]] = [[48, 61], [52, 58], [45, 70], [66, 47]]
        let mean = incomes.map { $0.map { log($0) } }
        let sd: [[Double]] = [[0.25, 0.25], [0.15, 0.15], [0.2, 0.2], [0.3, 0.3]]
        let r = try PlanRobustness(problem: p, plan: plan, replicates: 4, predict: predictions(mean: mean, sd: sd))
        XCTAssertEqual(r.pFunded, [0.75, 0.25])
        XCTAssertEqual(r.replanned, 4)
        XCTAssertEqual(r.agreement, 1)
        let gains = (0..<4).map { b in 2 * (integratedFGT(alpha: 2, mean: mean[b][0], sd: sd[b][0], uplift: 0)
                                            - integratedFGT(alpha: 2, mean: mean[b][0], sd: sd[b][0], uplift: 10)) }
        XCTAssertEqual(r.outcomeMean, gains.reduce(0, +) / 4, accuracy: 1e-9 * r.outcomeMean)
        XCTAssertEqual(r.outcomeLow, Quantile.of(sorted: gains.sorted(), 0.05), accuracy: 1e-9 * r.outcomeMean)
        XCTAssertEqual(r.outcomeHigh, Quantile.of(sorted: gains.sorted(), 0.95), accuracy: 1e-9 * r.outcomeMean)
        XCTAssertLessThan(r.outcomeLow, r.outcomeHigh)
    }

    /// Replicates that all equal the estimates: the plan's outcome under each
    /// is its objective, and every village is funded in all re-plans or in
    /// none, as the re-plan at the estimates funds it. Random scenarios with
    /// floors, caps and shares; a floor village is funded in every re-plan.
    func testReplicatesAtTheEstimatesGiveTheObjectiveAndSureVillages() throws {
        var rng = NormalSampler(seed: 43, stream: 2)
        for instance in 0..<30 {
            let p = randomProblem(&rng, households: 30)
            guard let plan = try? p.solve() else { continue }
            let mean = [[Double]](repeating: p.households.logMean, count: 3), sd = [[Double]](repeating: p.households.logSD, count: 3)
            var settings = PlanRobustness.Settings()
            settings.threads = 2
            let r = try PlanRobustness(problem: p, plan: plan, replicates: 3, settings: settings, predict: predictions(mean: mean, sd: sd))
            XCTAssertEqual(r.outcomeMean, plan.objective, accuracy: 1e-9 * max(1, plan.objective), "instance \(instance)")
            XCTAssertEqual(r.outcomeLow, plan.objective, accuracy: 1e-9 * max(1, plan.objective), "instance \(instance)")
            XCTAssertEqual(r.outcomeHigh, plan.objective, accuracy: 1e-9 * max(1, plan.objective), "instance \(instance)")
            XCTAssertTrue(r.pFunded.allSatisfy { $0 == 0 || $0 == 1 }, "instance \(instance): \(r.pFunded)")
            for v in p.villageCodes.indices where p.floors[v] > 0 { XCTAssertEqual(r.pFunded[v], 1, "instance \(instance), village \(v)") }
            var planned = [Bool](repeating: false, count: p.villageCodes.count)
            for row in plan.rows { planned[row.village] = true }
            let agreeing = zip(r.pFunded, planned).filter { ($0 == 1) == $1 }.count
            XCTAssertEqual(r.agreement, Double(agreeing) / Double(planned.count), accuracy: 1e-12, "instance \(instance)")
        }
    }

    /// Without replicates a village is funded or not as the plan has it, and
    /// the interval is the objective.
    func testWithoutReplicatesTheIntervalIsTheObjective() throws {
        var rng = NormalSampler(seed: 47, stream: 1)
        let p = randomProblem(&rng, households: 20)
        let plan = try p.solve()
        let r = try PlanRobustness(problem: p, plan: plan, replicates: 0, predict: predictions(mean: [], sd: []))
        XCTAssertEqual(r.outcomeLow, plan.objective)
        XCTAssertEqual(r.outcomeHigh, plan.objective)
        XCTAssertEqual(r.pFunded, p.villageCodes.indices.map { v in plan.rows.contains { $0.village == v } ? 1 : 0 })
    }
}

/// The re-plans made on a thread of their own beside the caller, as a run
/// makes them while it solves.
extension FundAllocationTests {
    /// Replicate tables for p: the estimates moved by a village shift and a
    /// spread per replicate, so that re-plans differ from one to the next.
    func shiftedReplicates(_ p: FundAllocationProblem, _ rng: inout NormalSampler, count: Int) -> (mean: [[Double]], sd: [[Double]]) {
        let shifts = (0..<count).map { _ in p.villageCodes.indices.map { _ in 0.6 * rng.normal() } }
        let mean = shifts.map { shift in p.households.logMean.indices.map { p.households.logMean[$0] + shift[p.households.village[$0]] } }
        let sd = (0..<count).map { b in p.households.logSD.map { $0 * (0.8 + 0.1 * Double(b % 5)) } }
        return (mean, sd)
    }

    /// Started beside the caller, the re-plans are the ones the caller makes
    /// alone, whatever thread made each; and the robustness built on them is
    /// the one built in turn. Random scenarios with floors, caps and shares,
    /// the reference the rule at the estimates, as a run has it.
    func testRePlansBesideTheCallerAreTheRePlansMadeInTurn() throws {
        var rng = NormalSampler(seed: 53, stream: 4)
        var differing = 0, solved = 0
        for instance in 0..<20 {
            let p = randomProblem(&rng, households: 40)
            guard let plan = try? p.solve() else { continue }
            solved += 1
            let (mean, sd) = shiftedReplicates(p, &rng, count: 9)
            var settings = PlanRobustness.Settings()
            settings.replans = 7
            settings.threads = 2
            func replans() -> Replans {
                Replans(problem: p, replicates: 9, settings: settings, reference: { Replans.ruleAtEstimates(p) },
                        predict: predictions(mean: mean, sd: sd))
            }
            let alone = try replans().finish()
            let beside = replans()
            beside.start()
            let together = try beside.finish()
            XCTAssertEqual(together.funded, alone.funded, "instance \(instance)")
            XCTAssertEqual(together.atEstimates, alone.atEstimates, "instance \(instance)")
            XCTAssertEqual(alone.funded.count, 7, "instance \(instance)")
            if Set(alone.funded).count > 1 { differing += 1 }
            let r = try PlanRobustness(problem: p, plan: plan, replicates: 9, replans: together, threads: 2,
                                       predict: predictions(mean: mean, sd: sd))
            XCTAssertEqual(r.pFunded, p.villageCodes.indices.map { v in Double(alone.funded.filter { $0[v] }.count) / 7 })
            XCTAssertEqual(r.replanned, 7)
        }
        // The replicates moved what the re-plans fund, or the comparison says little.
        XCTAssertGreaterThanOrEqual(solved, 10)
        XCTAssertGreaterThanOrEqual(differing, 3, "\(differing) of \(solved)")
    }

    struct PredictionFailed: Error {}

    /// A prediction that fails reaches the caller as its error, whichever
    /// thread met it; a cancelled set of re-plans ends without its outcome.
    func testRePlansReportAFailedPredictionAndStopWhenCancelled() throws {
        var rng = NormalSampler(seed: 61, stream: 2)
        let p = randomProblem(&rng, households: 20)
        for started in [false, true] {
            let failing = Replans(problem: p, replicates: 3, reference: { Replans.ruleAtEstimates(p) },
                                  predict: { _, _ in throw PredictionFailed() })
            if started { failing.start() }
            XCTAssertThrowsError(try failing.finish()) { XCTAssertTrue($0 is PredictionFailed, "started \(started): \($0)") }
        }
        let (mean, sd) = shiftedReplicates(p, &rng, count: 3)
        let cancelled = Replans(problem: p, replicates: 3, reference: { Replans.ruleAtEstimates(p) }, predict: predictions(mean: mean, sd: sd))
        cancelled.cancel()
        XCTAssertThrowsError(try cancelled.finish()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
    }
}

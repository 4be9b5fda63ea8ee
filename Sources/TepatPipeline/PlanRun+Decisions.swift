import LinearProgram
import TepatAllocation
import TepatData
import TepatScoring

extension PlanRun {
    /// What the assignment and allocation stages decided, when their files exist.
    struct Decisions {
        var assignmentProblem: OPDAssignmentProblem?
        var assignment: OPDAssignmentProblem.Solution?
        var allocationProblem: FundAllocationProblem?
        var plan: FundAllocation?
        var outcomes: VillageOutcomes?
        var baselines: [(BaselineRule, Double)] = []
    }

    /// OPD assignment (with opds.csv) and fund allocation (with funders.csv and
    /// programs.csv, not when streamed).
    func decide(_ scored: Scored, clock: StageClock) throws -> Decisions {
        var decisions = Decisions()
        let result = scored.result
        if assign, let opds = scored.data.opds {
            try begin("assignment")
            let problem = try AllocationStage.assignmentProblem(opds: opds, result: result, options: allocation)
            decisions.assignment = problem.solve()
            decisions.assignmentProblem = problem
            clock.lap("assignment")
        }
        if allocate, !stream, let funders = scored.data.funders, let programs = scored.data.programs {
            try begin("allocation")
            let problem = try AllocationStage.allocationProblem(funders: funders, programs: programs, result: result, options: allocation)
            clock.lap("allocation_setup")
            // The re-plans under the replicates need no plan: they take the
            // core the solve leaves idle, and what is left of them after the
            // solve is allocation_replicates.
            let replans = replans(problem, result)
            let plan: FundAllocation
            do { plan = try problem.solve() } catch {
                replans?.cancel()
                _ = try? replans?.finish()
                throw error
            }
            clock.lap("allocation_solve")
            let robustness = try robustness(of: plan, problem, result, replans: replans)
            clock.lap("allocation_replicates")
            decisions.outcomes = VillageOutcomes(problem: problem, plan: plan)
            decisions.outcomes?.robustness = robustness
            decisions.baselines = Baselines.objectives(problem: problem, poorPersons: result.measures.poorPersons,
                                                       idmStatus: result.villages.idmStatus)
            if let path = allocation.exportMPS { try MPSFile.write(plan.model, name: "TEPAT_ALLOCATION", to: path) }
            decisions.allocationProblem = problem
            decisions.plan = plan
            clock.lap("allocation_report")
        }
        return decisions
    }

    /// The re-plans behind p_funded, started beside the caller when there
    /// is a core for them (none with the asset index or without replicates).
    private func replans(_ problem: FundAllocationProblem, _ result: ScoringResult) -> Replans? {
        guard let predictor = result.replicates, predictor.count > 0 else { return nil }
        let replans = Replans(problem: problem, replicates: predictor.count, settings: robustnessSettings,
                              reference: { Replans.ruleAtEstimates(problem) }, predict: predict(predictor, result))
        if options.threads > 1 { replans.start() }
        return replans
    }

    /// The plan under the model's replicates, with the re-plans made beside the solve.
    private func robustness(of plan: FundAllocation, _ problem: FundAllocationProblem, _ result: ScoringResult,
                            replans: Replans?) throws -> PlanRobustness? {
        guard let replans, let predictor = result.replicates else { return nil }
        return try PlanRobustness(problem: problem, plan: plan, replicates: predictor.count, replans: replans.finish(),
                                  threads: options.threads, predict: predict(predictor, result))
    }

    private var robustnessSettings: PlanRobustness.Settings {
        var settings = PlanRobustness.Settings()
        settings.threads = options.threads
        return settings
    }

    private func predict(_ predictor: ReplicatePredictor, _ result: ScoringResult) -> PlanRobustness.Predict {
        let threads = options.threads
        return { households, replicates in
            try predictor.predict(result.registry, households: households, replicates: replicates, threads: threads)
        }
    }
}

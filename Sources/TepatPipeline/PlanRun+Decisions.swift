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
            let plan = try problem.solve()
            clock.lap("allocation_solve")
            let robustness = try robustness(of: plan, problem, result)
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

    /// The plan under the model's replicates (none with the asset index or
    /// without replicates).
    private func robustness(of plan: FundAllocation, _ problem: FundAllocationProblem, _ result: ScoringResult) throws -> PlanRobustness? {
        guard let predictor = result.replicates, predictor.count > 0 else { return nil }
        var settings = PlanRobustness.Settings()
        settings.threads = options.threads
        return try PlanRobustness(problem: problem, plan: plan, replicates: predictor.count,
                                  settings: settings) { households, replicates in
            try predictor.predict(result.registry, households: households, replicates: replicates, threads: settings.threads)
        }
    }
}

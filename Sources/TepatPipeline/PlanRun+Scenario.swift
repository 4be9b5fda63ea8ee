import TepatScenario
import TepatScoring

extension PlanRun {
    /// Settles the run from a scenario. Command-line flags are applied
    /// afterwards by the caller, so they override the file.
    public mutating func apply(_ scenario: Scenario) throws {
        let s = scenario
        // The one step that can fail goes first, so a failure changes nothing.
        let mpi = try MultidimensionalPoverty.indonesiaDefault.adjusted(weights: s.scoring.mpiWeights, cutoff: s.scoring.mpiCutoff)
        options.mpi = mpi
        options.seed = s.seed
        options.method = s.scoring.method
        options.povertyLine = s.scoring.povertyLine
        options.bootstrap = s.scoring.bootstrap
        options.ridge = s.scoring.ridge
        options.strata = s.scoring.strata
        options.kecamatanEffects = s.scoring.kecamatanEffects
        options.strictCategories = s.scoring.strictCategories
        options.benchmarkP0 = s.scoring.benchmarkP0
        options.rankBy = s.ranking.rankBy
        options.weights = s.ranking.weights
        onError = s.data.onError
        filePaths = s.data.paths
        writeHouseholds = s.outputs.householdsScored
        writeWorkbook = s.outputs.workbook
        dialect = s.outputs.csvDialect
        language = s.outputs.language
        assign = s.assignment.enabled
        allocate = s.allocation.enabled
        allocation.opds = s.assignment.opds
        allocation.opdsPerVillage = s.assignment.opdsPerVillage
        allocation.funders = s.allocation.funders
        allocation.floors = s.allocation.floors
        allocation.villageCap = s.allocation.villageCap
        allocation.funderAreas = s.allocation.funderAreas
        allocation.funderBudgets = s.allocation.funderBudgets
        allocation.objective = s.allocation.objective
        allocation.exportMPS = s.outputs.exportMPS
        verification = s.verification
        boundaries = s.data.boundaries
    }
}

import TepatAllocation
import TepatData
import TepatReporting
import TepatScoring

/// A planner's scenario: every setting of a run, each with a documented default.
/// `ScenarioParser` reads it from YAML, `ScenarioWriter` writes it back (the
/// commented template of `tepat scenario init`, and the effective scenario kept in
/// each run directory), and `apply(to:)` hands it to a `PlanRun`.
public struct Scenario: Sendable, Equatable {
    /// Seed of the bootstrap replicates: same inputs and seed, same files.
    public var seed: UInt64 = 1
    public var data = DataSettings()
    public var scoring = ScoringSettings()
    public var ranking = RankingSettings()
    public var assignment = AssignmentSettings()
    public var allocation = AllocationSettings()
    public var outputs = OutputSettings()

    public init() {}

    public struct DataSettings: Sendable, Equatable {
        /// Input files that are not under their standard name in DATA_DIR,
        /// by standard name (households.csv → a path). Relative paths are taken
        /// from the scenario file's folder and stored resolved.
        public var paths: [String: String] = [:]
        /// nil (files use Tepat's category names), "pbdt2015", or a codebook path.
        public var codebook: String? = nil
        public var onError = OnError.fail
    }

    public struct ScoringSettings: Sendable, Equatable {
        public var method = ScoringMethod.automatic
        /// Rupiah per capita per month.
        public var povertyLine = 550_000.0
        public var bootstrap = 200
        public var ridge = false
        public var strata = Stratification.none
        public var kecamatanEffects = false
        public var strictCategories = false
        /// Alkire–Foster poverty cut-off k.
        public var mpiCutoff = 1.0 / 3
        /// Weights of MPI indicators that differ from the default (0 drops one).
        public var mpiWeights: [String: Double] = [:]
    }

    public struct RankingSettings: Sendable, Equatable {
        public var rankBy = RankBy.score
        public var weights = CompositeWeights()
    }

    public struct AssignmentSettings: Sendable, Equatable {
        public var enabled = true
        /// OPDs that take part (nil: every row of opds.csv).
        public var opds: [String]? = nil
        public var opdsPerVillage = 1
    }

    public struct AllocationSettings: Sendable, Equatable {
        public var enabled = true
        /// Funders that take part (nil: every row of funders.csv).
        public var funders: [String]? = nil
        /// Minimum rupiah for every village of an IDM status.
        public var floors: [String: Int64] = [:]
        public var villageCap: Int64? = nil
        /// Kecamatan a funder may fund, replacing its funders.csv area.
        public var funderAreas: [String: [String]] = [:]
        /// Budgets replacing funders.csv's budget_rp.
        public var funderBudgets: [String: Int64] = [:]
        /// What the allocation maximises: the fall in expected P2 (default), P1 or P0.
        public var objective = AllocationObjective.severity
    }

    public struct OutputSettings: Sendable, Equatable {
        public var householdsScored = true
        public var csvDialect = CSVDialect.standard
        public var language = ReportLanguage.indonesian
        /// Write the allocation LP here (free MPS); nil: not written.
        public var exportMPS: String? = nil
    }
}

extension Scenario {
    /// Settles a `PlanRun` from the scenario. Command-line flags are applied
    /// afterwards by the caller, so they override the file.
    public func apply(to run: inout PlanRun) throws {
        run.options.seed = seed
        run.options.method = scoring.method
        run.options.povertyLine = scoring.povertyLine
        run.options.bootstrap = scoring.bootstrap
        run.options.ridge = scoring.ridge
        run.options.strata = scoring.strata
        run.options.kecamatanEffects = scoring.kecamatanEffects
        run.options.strictCategories = scoring.strictCategories
        run.options.mpi = try MultidimensionalPoverty.indonesiaDefault.adjusted(weights: scoring.mpiWeights, cutoff: scoring.mpiCutoff)
        run.options.rankBy = ranking.rankBy
        run.options.weights = ranking.weights
        run.onError = data.onError
        run.filePaths = data.paths
        run.writeHouseholds = outputs.householdsScored
        run.dialect = outputs.csvDialect
        run.language = outputs.language
        run.assign = assignment.enabled
        run.allocate = allocation.enabled
        run.allocation.opds = assignment.opds
        run.allocation.opdsPerVillage = assignment.opdsPerVillage
        run.allocation.funders = allocation.funders
        run.allocation.floors = allocation.floors
        run.allocation.villageCap = allocation.villageCap
        run.allocation.funderAreas = allocation.funderAreas
        run.allocation.funderBudgets = allocation.funderBudgets
        run.allocation.objective = allocation.objective
        run.allocation.exportMPS = outputs.exportMPS
    }
}

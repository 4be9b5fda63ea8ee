import TepatAllocation
import TepatData
import TepatScoring
import TepatVerification

/// A planner's scenario: every setting of a run, each with a documented default.
/// `ScenarioParser` reads it from YAML, `ScenarioWriter` writes it back (the
/// commented template of `tepat scenario init`, and the effective scenario kept in
/// each run directory), and the pipeline (`PlanRun.apply`) turns it into a run.
public struct Scenario: Sendable, Equatable {
    /// Seed of the bootstrap replicates: same inputs and seed, same files.
    public var seed = ScoringOptions.standard.seed
    public var data = DataSettings()
    public var scoring = ScoringSettings()
    public var ranking = RankingSettings()
    public var assignment = AssignmentSettings()
    public var allocation = AllocationSettings()
    public var verification = VerificationOptions()
    public var outputs = OutputSettings()

    public init() {}

    /// The most bootstrap replicates a run may ask for.
    public static let maximumBootstrap = 10_000

    public struct DataSettings: Sendable, Equatable {
        public init() {}

        /// Input files that are not under their standard name in DATA_DIR,
        /// by standard name (households.csv → a path). Relative paths are taken
        /// from the scenario file's folder and stored resolved.
        public var paths: [String: String] = [:]
        /// nil (files use Tepat's category names), "pbdt2015", or a codebook path.
        public var codebook: String? = nil
        public var onError = OnError.fail
        /// Village polygons (GeoJSON) for the maps and rankings.geojson; nil: points.
        public var boundaries: String? = nil
    }

    /// Scoring settings; their defaults are the scoring module's own
    /// (`ScoringOptions`), so the template, the CLI and a run agree.
    public struct ScoringSettings: Sendable, Equatable {
        public init() {}

        public var method = ScoringOptions.standard.method
        /// Rupiah per capita per month.
        public var povertyLine = ScoringOptions.standard.povertyLine
        public var bootstrap = ScoringOptions.standard.bootstrap
        public var ridge = ScoringOptions.standard.ridge
        public var strata = ScoringOptions.standard.strata
        public var kecamatanEffects = ScoringOptions.standard.kecamatanEffects
        public var strictCategories = ScoringOptions.standard.strictCategories
        /// Official P0 (a share) the villages are scaled to; nil: none.
        public var benchmarkP0 = ScoringOptions.standard.benchmarkP0
        /// Alkire–Foster poverty cut-off k.
        public var mpiCutoff = MultidimensionalPoverty.indonesiaDefault.cutoff
        /// Weights of MPI indicators that differ from the default (0 drops one).
        public var mpiWeights: [String: Double] = [:]
    }

    public struct RankingSettings: Sendable, Equatable {
        public init() {}

        public var rankBy = ScoringOptions.standard.rankBy
        public var weights = ScoringOptions.standard.weights
    }

    public struct AssignmentSettings: Sendable, Equatable {
        public init() {}

        public var enabled = true
        /// OPDs that take part (nil: every row of opds.csv).
        public var opds: [String]? = nil
        public var opdsPerVillage = 1
    }

    public struct AllocationSettings: Sendable, Equatable {
        public init() {}

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
        public init() {}

        public var householdsScored = true
        /// Write results.xlsx, every CSV of the run as a sheet.
        public var workbook = true
        public var csvDialect = CSVDialect.standard
        public var language = ReportLanguage.indonesian
        /// Write the allocation LP here (free MPS); nil: not written.
        public var exportMPS: String? = nil
    }
}

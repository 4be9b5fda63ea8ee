/// The keys of each section, in the order the template writes them. Each
/// section is an enum, so a reader's switch over it is exhaustive: a key added
/// here without its own case does not compile.
public enum ScenarioKeys {
    public enum Top: String, CaseIterable { case seed, data, scoring, ranking, assignment, allocation, verification, outputs }
    public enum Data: String, CaseIterable { case files, codebook, onError = "on_error", boundaries }
    public enum Files: String, CaseIterable { case households, survey, villages, opds, funders, programs, truth }
    public enum Scoring: String, CaseIterable {
        case method, povertyLine = "poverty_line", bootstrap, ridge, strata, kecamatanEffects = "kecamatan_effects"
        case strictCategories = "strict_categories", mpiCutoff = "mpi_cutoff", mpiWeights = "mpi_weights", benchmarkP0 = "benchmark_p0"
    }
    public enum Ranking: String, CaseIterable { case rankBy = "rank_by", weights }
    public enum Weights: String, CaseIterable { case p0, p2, poorPersons = "poor_persons", mpiM0 = "mpi_m0", shareDesil1to4 = "share_desil_1_4" }
    public enum Assignment: String, CaseIterable { case enabled, opds, opdsPerVillage = "opds_per_village" }
    public enum Allocation: String, CaseIterable {
        case enabled, objective, funders, floors, villageCap = "village_cap", funderAreas = "funder_areas", funderBudgets = "funder_budgets"
    }
    public enum Verification: String, CaseIterable { case minProbability = "min_probability", minPPoor = "min_p_poor", maxPerVillage = "max_per_village" }
    public enum Outputs: String, CaseIterable { case householdsScored = "households_scored", csvDialect = "csv_dialect", lang, exportMPS = "export_mps" }

    public static let top = names(Top.self), data = names(Data.self), files = names(Files.self)
    public static let scoring = names(Scoring.self), ranking = names(Ranking.self), weights = names(Weights.self)
    public static let assignment = names(Assignment.self), allocation = names(Allocation.self), outputs = names(Outputs.self)
    public static let verification = names(Verification.self)

    static func names<K: RawRepresentable & CaseIterable>(_: K.Type) -> [String] where K.RawValue == String {
        K.allCases.map(\.rawValue)
    }
}

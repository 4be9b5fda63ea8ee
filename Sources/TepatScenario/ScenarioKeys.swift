import TepatData

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
    public enum Outputs: String, CaseIterable { case householdsScored = "households_scored", workbook, csvDialect = "csv_dialect", lang, exportMPS = "export_mps" }

    public static let top = names(Top.self), data = names(Data.self), files = names(Files.self)
    public static let scoring = names(Scoring.self), ranking = names(Ranking.self), weights = names(Weights.self)
    public static let assignment = names(Assignment.self), allocation = names(Allocation.self), outputs = names(Outputs.self)
    public static let verification = names(Verification.self)

    /// Every section's path and keys, for pointing a key written in the wrong
    /// section to the one it belongs in.
    static let sections: [(path: String, keys: [String])] = [
        ("", top), ("data", data), ("data.files", files), ("scoring", scoring), ("ranking", ranking), ("ranking.weights", weights),
        ("assignment", assignment), ("allocation", allocation), ("verification", verification), ("outputs", outputs),
    ]

    /// The full key `name` is in another section than `path` (exactly, or a
    /// plausible typo of it): "scoring.poverty_line" for a top-level
    /// `poverty_line`.
    static func elsewhere(_ name: String, notIn path: String) -> String? {
        let others = sections.filter { $0.path != path }
        let full = { (section: String, key: String) in section.isEmpty ? key : section + "." + key }
        if let exact = others.first(where: { $0.keys.contains(name) }) { return full(exact.path, name) }
        let all = others.flatMap { section in section.keys.map { (section.path, $0) } }
        guard let near = NearestName.suggestion(for: name, among: all.map(\.1)) else { return nil }
        return all.first { $0.1 == near }.map { full($0.0, $0.1) }
    }

    static func names<K: RawRepresentable & CaseIterable>(_: K.Type) -> [String] where K.RawValue == String {
        K.allCases.map(\.rawValue)
    }
}

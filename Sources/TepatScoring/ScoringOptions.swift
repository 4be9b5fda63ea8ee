import TepatData

/// How villages are ordered in rankings.csv (`--rank-by`).
public enum RankBy: String, Sendable, CaseIterable, Codable {
    /// Weighted composite of standardised measures (default).
    case score
    /// Expected headcount P0.
    case p0
    /// Expected number of poor persons.
    case poor
}

/// Separate models per stratum (Docs/model.md).
public enum Stratification: String, Sendable, CaseIterable, Codable {
    case none
    /// Kelurahan (urban) and desa (rural) households get their own PMT and
    /// small-area model.
    case urbanRural = "urban_rural"
}

/// Which welfare model scores households.
public enum ScoringMethod: String, Sendable, CaseIterable, Codable {
    /// PMT with the small-area model when survey.csv exists, else the asset index.
    case automatic = "auto"
    case pmt
    case assetIndex = "asset_index"
}

/// Weights of the composite score (Docs/model.md). Each measure is standardised
/// across villages (z-score) before weighting; defaults favour depth and breadth
/// of money-metric poverty and keep a fifth for multidimensional deprivation.
/// The desil 1–4 share has weight 0 by default: it mostly repeats P0, and the
/// replicates cannot vary it (that needs replicate deciles of every household),
/// so its prediction error would not show in the rank intervals.
public struct CompositeWeights: Sendable, Equatable, Codable {
    public var p0 = 0.40
    public var p2 = 0.20
    public var poorPersons = 0.20
    public var mpiM0 = 0.20
    public var shareDesil1to4 = 0.0

    public init() {}
}

public struct ScoringOptions: Sendable {
    /// Every default, the one source for the scenario and the command line.
    public static let standard = ScoringOptions()

    /// Rupiah per capita per month.
    public var povertyLine = PovertyLine.standard
    public var seed: UInt64 = 1
    /// Replicates for the rank and P0 intervals.
    public var bootstrap = 200
    public var rankBy = RankBy.score
    public var method = ScoringMethod.automatic
    public var weights = CompositeWeights()
    public var kecamatanEffects = false
    /// Ridge-shrunk coefficients, λ by 5-fold cross-validation.
    public var ridge = false
    public var strata = Stratification.none
    public var strictCategories = false
    /// Survey households a category level needs to get its own PMT term.
    public var minimumLevelCount = 10
    /// Asset index only: the share of persons taken as poor, since an index
    /// without consumption has no poverty line of its own.
    public var assumedHeadcount = 0.12
    public var mpi = MultidimensionalPoverty.indonesiaDefault
    /// An official P0 (a share) the villages' member-weighted P0 is scaled to;
    /// nil: the model's own level.
    public var benchmarkP0: Double? = nil
    /// Households per chunk of the registry pass (bounds memory).
    public var chunkRows = 16_384
    /// Worker threads for the registry pass; results do not depend on it.
    public var threads = 2

    public init() {}
}

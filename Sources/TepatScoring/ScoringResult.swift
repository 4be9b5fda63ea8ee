import TepatData

/// Per-household results, in households.csv order.
public struct HouseholdScores: Sendable {
    /// Mean of predicted log consumption per capita (x β + η̂_v).
    public var logMean: [Double]
    /// Its standard deviation (household residual and village-effect uncertainty).
    public var logSD: [Double]
    /// Predicted consumption per capita in rupiah (conditional median e^μ).
    public var welfare: [Double]
    public var desil: [Int]
    /// Expected FGT of each household: p0 is the probability of being poor.
    public var p0: [Double]
    public var p1: [Double]
    public var p2: [Double]
}

/// Village measures, in `VillageList` order.
public struct VillageMeasures: Sendable {
    public var households: [Int]
    public var persons: [Double]
    public var p0: [Double]
    public var p1: [Double]
    public var p2: [Double]
    public var poorPersons: [Double]
    public var poorHouseholds: [Double]
    public var shareDesil1to4: [Double]
    public var mpi: [MultidimensionalPoverty.Result]
    /// Expected poor households deprived in each pillar (`Schemas.pillars` order).
    public var need: [[Double]]
    /// Per deprivation (`Deprivation.allCases` order): share of the village's
    /// expected poor households with it.
    public var deprivationShare: [[Double]]
    public var score: [Double]
}

/// Where each village ranks, with its 90% intervals.
public struct VillageRanking: Sendable {
    /// 1 = most in need, per village.
    public var rank: [Int]
    /// Villages from rank 1 down.
    public var order: [Int]
    public var rankLow: [Int]
    public var rankHigh: [Int]
    public var p0Low: [Double]
    public var p0High: [Double]
    /// Coefficient of variation of P0 over the replicates (0 without them).
    public var p0CV: [Double]
    public var quality: [VillageQuality]
}

/// How far a village's estimate can be trusted, as statistical offices flag it.
public enum VillageQuality: String, Sendable {
    /// P0's coefficient of variation is at most `cautionCV`.
    case ok
    /// P0's coefficient of variation is above `cautionCV`: use with caution.
    case caution
    /// No registry household: no P0, no rank.
    case noData = "no_data"

    /// BPS publishes estimates whose relative standard error exceeds 25% with a
    /// caution mark; the same threshold on the replicates' P0.
    public static let cautionCV = 0.25
}

public struct SmallAreaSummary: Sendable, Codable {
    public var sigma2Eta: Double
    public var sigma2Eps: Double
    public var surveyVillages: Int
    public var replicates: Int
    public var ridge: RidgeSummary?
}

/// Targeting accuracy against truth.csv (Docs/model.md, Docs/outputs.md). Eligible: the
/// poorest 40% of persons by true consumption; selected: predicted desil 1–4;
/// all shares member-weighted.
public struct Accuracy: Sendable, Codable, Equatable {
    /// Selected persons who are not eligible, over selected.
    public var inclusionError: Double
    /// Eligible persons not selected, over eligible.
    public var exclusionError: Double
    /// Truly poor persons (below the poverty line) selected, over truly poor.
    public var coverage: Double
    /// Selected persons who are not truly poor, over selected.
    public var leakage: Double
    /// Share of eligible selected minus share of non-eligible selected (Ravallion).
    public var targetingDifferential: Double
    /// Share of selected who are eligible, over 0.4 (Coady–Grosh–Hoddinott).
    public var cgh: Double
    /// Spearman correlation of village expected P0 with the true P0.
    public var spearmanP0: Double
    /// Share of villages whose true rank lies in [rank_lo, rank_hi].
    public var rankIntervalCoverage: Double
    /// Share of villages whose true P0 lies in [p0_lo, p0_hi].
    public var p0IntervalCoverage: Double
    public var medianRankIntervalWidth: Double
    public var medianP0IntervalWidth: Double
    /// Truly poor share of persons at the poverty line, for reference.
    public var trueP0: Double
}

/// The PMT and small-area model of one stratum (or of all households).
public struct StratumModel: Sendable {
    public var name: String
    public var pmt: WLSResults
    public var smallArea: SmallAreaSummary
    public var pooled: [PooledLevel]
    /// Survey against registry means of the model's covariates, largest gap first.
    public var balance: [CovariateBalance] = []
    /// Each household indicator's part in a prediction (the verification
    /// list's evidence).
    public var contributions: WelfareContributions? = nil
}

public struct ScoringResult: Sendable {
    public var options: ScoringOptions
    public var method: ScoringMethod
    public var villages: VillageList
    public var households: HouseholdScores
    public var measures: VillageMeasures
    public var ranking: VillageRanking
    /// The fitted models: one ("all"), or one per stratum ("urban", "rural");
    /// empty with the asset index.
    public var models: [StratumModel]
    public var assetIndexExplainedShare: Double?
    /// The scored households' indicators, for the allocation's household segments.
    public var registry: HouseholdColumns
    /// Which households have each deprivation (`Deprivation.allCases` order).
    public var deprivationFlags: [[Bool]]
    public var accuracy: Accuracy?
    /// Seconds per stage.
    public var timings: [(String, Double)]
    /// Overall expected P0, P1, P2 (member-weighted) and poor persons.
    public var overall: ExpectedFGT
    public var overallPoorPersons: Double
    /// Households scored (a streamed run keeps none of them in `households`).
    public var householdCount: Int
    /// How the villages' P0 was scaled to an official figure, when it was.
    public var benchmark: P0Benchmark? = nil
    /// The model's replicate draws, to evaluate a plan under each (nil with
    /// the asset index, without replicates, and in a streamed run).
    public var replicates: ReplicatePredictor? = nil
}

extension ScoringResult {
    /// The unstratified PMT, when there is exactly one model.
    public var pmt: WLSResults? { models.count == 1 ? models[0].pmt : nil }
    public var pooledLevels: [PooledLevel] { models.flatMap(\.pooled) }
}

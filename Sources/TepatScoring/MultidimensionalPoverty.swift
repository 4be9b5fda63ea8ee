import TepatData

/// One indicator of the Alkire–Foster measure: a deprivation test and a weight.
public struct MPIIndicator: Sendable {
    public let name: String
    public let dimension: String
    public let weight: Double
    public let deprived: @Sendable (HouseholdColumns) -> [Bool]

    public init(name: String, dimension: String, weight: Double, deprived: @escaping @Sendable (HouseholdColumns) -> [Bool]) {
        self.name = name
        self.dimension = dimension
        self.weight = weight
        self.deprived = deprived
    }
}

/// Alkire–Foster multidimensional poverty with a poverty cut-off k: a person is
/// poor when the weighted share of their household's deprivations is at least k.
/// H = share of persons poor, A = mean deprivation share among the poor,
/// M0 = H·A; an indicator's contribution = weight × censored headcount / M0.
public struct MultidimensionalPoverty: Sendable {
    public let indicators: [MPIIndicator]
    public let cutoff: Double

    public init(indicators: [MPIIndicator], cutoff: Double = 1.0 / 3) {
        self.indicators = indicators
        self.cutoff = cutoff
    }

    /// An Indonesia-adapted default on DTKS columns: three dimensions of equal
    /// weight (education, health, living standard), each split equally among its
    /// indicators, as in the global MPI.
    public static let indonesiaDefault: MultidimensionalPoverty = {
        let living: [(String, @Sendable (HouseholdColumns) -> [Bool])] = [
            ("floor", { $0.isAny("floor_material", of: ["earth", "bamboo", "wood_low"]) }),
            ("walls_roof", { h in
                let wall = h.isAny("wall_material", of: ["bamboo", "other"]), roof = h.isAny("roof_material", of: ["thatch", "bamboo"])
                return (0..<h.count).map { wall[$0] || roof[$0] }
            }),
            ("water", { $0.isAny("water_source", of: ["unprotected_well", "unprotected_spring", "river", "rain"]) }),
            ("sanitation", { h in
                let toilet = h.isAny("toilet", of: ["none", "public"]), septic = h["septic_tank"]
                return (0..<h.count).map { toilet[$0] || septic[$0] == 0 }
            }),
            ("electricity", { $0.isAny("lighting", of: ["non_pln", "none"]) }),
            ("cooking_fuel", { $0.isAny("cooking_fuel", of: ["firewood", "charcoal", "kerosene", "none"]) }),
            ("assets", { h in
                // At most one of the small assets, and no car: the global MPI's test.
                let small = ["has_tv", "has_refrigerator", "has_motorcycle", "has_smartphone", "has_computer", "has_bicycle"].map { h[$0] }
                let car = h["has_car"]
                return (0..<h.count).map { i in car[i] == 0 && small.reduce(0) { $0 + Int($1[i]) } <= 1 }
            }),
        ]
        var indicators = [
            MPIIndicator(name: "head_no_schooling", dimension: "education", weight: 1.0 / 6) { $0["head_education"].map { $0 == 0 } },
            MPIIndicator(name: "child_out_of_school", dimension: "education", weight: 1.0 / 6) { $0["children_out_of_school"].map { $0 > 0 } },
            MPIIndicator(name: "chronic_illness_uninsured", dimension: "health", weight: 1.0 / 6) { h in
                let ill = h["chronic_ill_members"], pbi = h["receives_pbi"]
                return (0..<h.count).map { ill[$0] > 0 && pbi[$0] == 0 }
            },
            MPIIndicator(name: "disability", dimension: "health", weight: 1.0 / 6) { $0["disabled_members"].map { $0 > 0 } },
        ]
        indicators += living.map { MPIIndicator(name: $0.0, dimension: "living_standard", weight: 1.0 / 21, deprived: $0.1) }
        return MultidimensionalPoverty(indicators: indicators)
    }()

    /// The same indicators with some weights replaced (by indicator name) and
    /// another cut-off: the scenario's `mpi_weights` and `mpi_cutoff`. Weights
    /// need not sum to 1; a weight of 0 keeps the indicator out of the score.
    public func adjusted(weights: [String: Double], cutoff: Double) throws -> MultidimensionalPoverty {
        let names = Set(indicators.map(\.name))
        if let unknown = weights.keys.sorted().first(where: { !names.contains($0) }) {
            throw ScoringError.unknownIndicator(unknown)
        }
        let reweighted = indicators.map { i in
            MPIIndicator(name: i.name, dimension: i.dimension, weight: weights[i.name] ?? i.weight, deprived: i.deprived)
        }
        return MultidimensionalPoverty(indicators: reweighted, cutoff: cutoff)
    }

    /// Deprivation score (weighted share) and the indicator flags of each household.
    public func scores(_ h: HouseholdColumns) -> (score: [Double], flags: [[Bool]]) {
        let flags = indicators.map { $0.deprived(h) }
        var score = [Double](repeating: 0, count: h.count)
        for (k, indicator) in indicators.enumerated() {
            for i in 0..<h.count where flags[k][i] { score[i] += indicator.weight }
        }
        return (score, flags)
    }

    public struct Result: Sendable, Equatable {
        public var h: Double
        public var a: Double
        public var m0: Double
        /// Share of M0 due to each indicator (sums to 1 when M0 > 0).
        public var contributions: [Double]
    }

    /// H, A, M0 and contributions over `rows` (member-weighted).
    public func measure(score: [Double], flags: [[Bool]], members: [Double], rows: [Int]) -> Result {
        var sums = Sums(indicators: indicators.count)
        for i in rows { sums.add(score: score[i], members: members[i], flags: flags, row: i, cutoff: cutoff) }
        return result(of: sums)
    }

    /// Running sums of one village, added a household at a time: a run in memory
    /// and a streamed run add the same households in the same order, so both get
    /// the same measure to the last bit.
    public struct Sums: Sendable {
        var persons = 0.0, poor = 0.0, intensity = 0.0
        var censored: [Double]

        public init(indicators: Int) { censored = [Double](repeating: 0, count: indicators) }

        /// Adds household `row` of `flags` (indicator-major, as `scores` returns).
        public mutating func add(score: Double, members: Double, flags: [[Bool]], row: Int, cutoff: Double) {
            persons += members
            // Tolerance: a score of exactly 1/3 built from sixths and 21sts must count as ≥ 1/3.
            guard score >= cutoff - 1e-12 else { return }
            poor += members
            intensity += members * score
            for j in censored.indices where flags[j][row] { censored[j] += members }
        }
    }

    public func result(of sums: Sums) -> Result {
        guard sums.persons > 0 else { return Result(h: 0, a: 0, m0: 0, contributions: sums.censored.map { _ in 0 }) }
        let h = sums.poor / sums.persons
        let a = sums.poor > 0 ? sums.intensity / sums.poor : 0
        let m0 = h * a
        let contributions = indicators.indices.map { j in m0 > 0 ? indicators[j].weight * sums.censored[j] / sums.persons / m0 : 0 }
        return Result(h: h, a: a, m0: m0, contributions: contributions)
    }
}
